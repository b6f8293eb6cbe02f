using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Tests.VirtualKeys;

/// <summary>The lifecycle tools against a stand-in Portkey: exact requests, tolerant reads, dry runs that send nothing.</summary>
public class VirtualKeyToolTests : StubbedServerTest
{
    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task Get_virtual_key_reads_the_live_get_shape()
    {
        Portkey.Reply("GET", $"virtual-keys/{LiveVirtualKey.Slug}", 200, LiveVirtualKey.Get);
        var key = await OkAsync("get_virtual_key", $$"""{"slug":"{{LiveVirtualKey.Slug}}"}""");
        Assert.Equal("voyage", key.GetProperty("provider").GetString());
        Assert.Equal("pa*****X7a", key.GetProperty("masked_key").GetString());
        Assert.False(key.TryGetProperty("key", out _));
        Assert.False(key.TryGetProperty("model_config", out _));
        Assert.Equal(0, key.GetProperty("rate_limits").GetArrayLength());
    }

    [Fact]
    public async Task List_virtual_keys_reads_the_live_list_shape_and_masks_model_config_secrets()
    {
        Portkey.Reply("GET", "virtual-keys", 200, LiveVirtualKey.List);
        var page = await OkAsync("list_virtual_keys", "{}");
        Assert.Empty(Portkey.Single("GET", "virtual-keys").RequestMessage.Query ?? new Dictionary<string, WireMock.Types.WireMockList<string>>());
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        var items = page.GetProperty("items");
        Assert.Equal("openai", items[0].GetProperty("provider").GetString());
        Assert.Equal("Shared Team Workspace", items[0].GetProperty("workspace_name").GetString());
        Assert.Equal("exhausted", items[1].GetProperty("status").GetString());
        Assert.Equal(80, items[1].GetProperty("usage_limits").GetProperty("alert_threshold_percent").GetDouble());
        Assert.Equal("us-east-1", items[1].GetProperty("model_config").GetProperty("awsRegion").GetString());
        Assert.Equal("[REDACTED]", items[1].GetProperty("model_config").GetProperty("awsSecretAccessKey").GetString());
    }

    [Fact]
    public async Task Update_virtual_key_reads_merges_puts_and_reads_back()
    {
        var before = LiveVirtualKey.Get.Replace("\"usage_limits\":null", "\"usage_limits\":{\"type\":\"cost\",\"credit_limit\":50,\"alert_threshold\":25}", StringComparison.Ordinal);
        Portkey.Reply("GET", $"virtual-keys/{LiveVirtualKey.Slug}", 200, before);
        Portkey.Reply("PUT", $"virtual-keys/{LiveVirtualKey.Slug}", 200, "{}");

        var result = await OkAsync("update_virtual_key", $$"""{"slug":"{{LiveVirtualKey.Slug}}","credit_limit":80,"name":"voyage-2"}""");

        Assert.Equal(["GET", "PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        PortkeyStub.AssertJsonEqual("""{"name":"voyage-2","usage_limits":{"type":"cost","credit_limit":80,"alert_threshold":40}}""",
            PortkeyStub.Body(Portkey.Single("PUT", $"virtual-keys/{LiveVirtualKey.Slug}")));
        Assert.Equal(["credit_limit", "name"], result.GetProperty("updated_fields").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(LiveVirtualKey.Slug, result.GetProperty("virtual_key").GetProperty("slug").GetString());
    }

    [Fact]
    public async Task Update_virtual_key_with_a_new_provider_key_never_echoes_it()
    {
        const string newKey = "sk-proj-ReplacementKey77";
        Portkey.Reply("PUT", $"virtual-keys/{LiveVirtualKey.Slug}", 200, "{}");
        Portkey.Reply("GET", $"virtual-keys/{LiveVirtualKey.Slug}", 200, LiveVirtualKey.Get);
        var result = await Server.CallAsync("update_virtual_key", $$"""{"slug":"{{LiveVirtualKey.Slug}}","key":"{{newKey}}"}""");
        Assert.True(result.IsError is not true);
        PortkeyStub.AssertJsonEqual($$"""{"key":"{{newKey}}"}""", PortkeyStub.Body(Portkey.Single("PUT", $"virtual-keys/{LiveVirtualKey.Slug}")));
        Assert.DoesNotContain(newKey, JsonSerializer.Serialize(result, ModelContextProtocol.McpJsonUtilities.DefaultOptions), StringComparison.Ordinal);
        Assert.DoesNotContain(newKey, Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_virtual_key_sends_one_delete()
    {
        Portkey.Reply("DELETE", $"virtual-keys/{LiveVirtualKey.Slug}", 200, "{}");
        var result = await OkAsync("delete_virtual_key", $$"""{"slug":"{{LiveVirtualKey.Slug}}"}""");
        Assert.Equal(LiveVirtualKey.Slug, result.GetProperty("deleted").GetString());
        Assert.Single(Portkey.Requests);
    }

    [Fact]
    public async Task Dry_run_create_returns_the_exact_request_with_the_provider_key_masked_and_sends_nothing()
    {
        const string providerKey = "sk-proj-DryRunKey123456";
        var result = await OkAsync("create_virtual_key", $$"""{"key":"{{providerKey}}","name":"oa","provider":"openai","rate_limit_rpm":10,"dry_run":true}""");

        Assert.Empty(Portkey.Requests);
        Assert.True(result.GetProperty("dry_run").GetBoolean());
        var request = result.GetProperty("request");
        Assert.Equal("POST", request.GetProperty("method").GetString());
        Assert.Equal("/virtual-keys", request.GetProperty("path").GetString());
        Assert.Equal(Portkey.BaseUrl + "/virtual-keys", request.GetProperty("url").GetString());
        PortkeyStub.AssertJsonEqual("""{"name":"oa","provider":"openai","key":"[REDACTED]","rate_limits":[{"type":"requests","unit":"rpm","value":10}]}""",
            System.Text.Json.Nodes.JsonNode.Parse(request.GetProperty("body").GetRawText()));
        Assert.Contains("not idempotent", result.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(providerKey, Server.Log, StringComparison.Ordinal);
    }
}
