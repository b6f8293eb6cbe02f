using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Tests.VirtualKeys;

/// <summary>Each write tool end to end through the MCP client: the exact request upstream, the exact result.</summary>
public class VirtualKeyToolCallTests : StubbedServerTest
{
    [Theory]
    [InlineData("""{"success":true,"data":{"slug":"openai-prod-1a2b"}}""")]
    [InlineData("""{"id":"b0800161-0000-4000-8000-000000000001","slug":"openai-prod-1a2b","object":"virtual-key"}""")]
    public async Task Create_virtual_key_accepts_both_answer_shapes_and_never_echoes_the_provider_key(string answer)
    {
        const string providerKey = "sk-proj-QwErTy123456";
        Portkey.Reply("POST", "virtual-keys", 200, answer);

        var result = await Server.CallAsync("create_virtual_key", $$"""{"key":"{{providerKey}}","name":"openai-prod","provider":"openai","rate_limit_rpm":100}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        PortkeyStub.AssertJsonEqual($$"""{"name":"openai-prod","provider":"openai","key":"{{providerKey}}","rate_limits":[{"type":"requests","unit":"rpm","value":100}]}""",
            PortkeyStub.Body(Portkey.Single("POST", "virtual-keys")));
        var structured = result.StructuredContent!.Value;
        Assert.Equal("openai-prod-1a2b", structured.GetProperty("slug").GetString());
        Assert.DoesNotContain(providerKey, JsonSerializer.Serialize(result, ModelContextProtocol.McpJsonUtilities.DefaultOptions), StringComparison.Ordinal);
        Assert.DoesNotContain(providerKey, Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_virtual_key_answer_without_slug_is_an_error_that_says_the_key_may_exist()
    {
        Portkey.Reply("POST", "virtual-keys", 200, """{"success":true}""");
        var result = await Server.CallAsync("create_virtual_key", """{"key":"sk-proj-QwErTy123456","name":"o","provider":"openai"}""");
        Assert.True(result.IsError);
        Assert.Contains("may exist", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal(1, Portkey.Count("POST", "virtual-keys"));
    }
}
