using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Providers;

/// <summary>
/// The provider tools against a stand-in Portkey (toolset providers): the workspace as query on reads, updates and
/// deletes and as body on create; limits with the key tools' rules and conversion; read-merge-write on update.
/// </summary>
public class ProviderToolTests : StubbedServerTest
{
    private const string Workspace = "6e5a9f93-ae3a-46b4-a87d-2464d373ef7e";
    private const string Slug = LiveVirtualKey.Slug;

    protected override Dictionary<string, string?> Settings => new() { ["PORTKEY_MCP_TOOLSETS"] = "providers" };

    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        await Server.AssertMatchesOutputSchemaAsync(tool, result);
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task List_providers_sends_paging_and_the_workspace_in_the_query_and_never_returns_a_credential()
    {
        Portkey.Reply("GET", "providers", 200, LiveVirtualKey.List);

        var page = await OkAsync("list_providers", $$"""{"page_size":2,"current_page":0,"workspace_id":"{{Workspace.ToUpperInvariant()}}"}""");

        Assert.Equal($"page_size=2&current_page=0&workspace_id={Workspace}", PortkeyStub.Query(Portkey.Single("GET", "providers")));
        Assert.Equal((3, true), (page.GetProperty("total").GetInt64(), page.GetProperty("has_more").GetBoolean()));
        Assert.Equal("open-ai", page.GetProperty("items")[0].GetProperty("integration_id").GetString());
        Assert.DoesNotContain("wJalrXUtnFEMI", page.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_provider_sends_the_workspace_as_query()
    {
        Portkey.Reply("GET", $"providers/{Slug}", 200, LiveVirtualKey.Get);

        var provider = await OkAsync("get_provider", $$"""{"slug":"{{Slug}}","workspace_id":"{{Workspace}}"}""");

        Assert.Equal($"workspace_id={Workspace}", PortkeyStub.Query(Portkey.Single("GET", $"providers/{Slug}")));
        Assert.Equal(("active", "voyageai-prod"), (provider.GetProperty("status").GetString(), provider.GetProperty("integration_id").GetString()));
    }

    [Fact]
    public async Task Create_provider_sends_the_workspace_in_the_body_and_limits_as_the_key_tools_do()
    {
        Portkey.Reply("POST", "providers", 200, """{"id":"b0800161-0000-4000-8000-000000000009","slug":"openai-ml"}""");

        var result = await OkAsync("create_provider",
            $$"""{"name":"OpenAI for ML","integration_id":"openai-org","workspace_id":"{{Workspace}}","slug":"openai-ml","credit_limit":100,"alert_threshold":80,"periodic_reset":"monthly","rate_limit_rpm":60}""");

        PortkeyStub.AssertJsonEqual($$"""
            {"name":"OpenAI for ML","integration_id":"openai-org","workspace_id":"{{Workspace}}","slug":"openai-ml",
             "usage_limits":{"type":"cost","credit_limit":100,"alert_threshold":80,"periodic_reset":"monthly"},
             "rate_limits":[{"type":"requests","unit":"rpm","value":60}]}
            """, PortkeyStub.Body(Portkey.Single("POST", "providers")));
        Assert.Equal(("openai-ml", "Provider created. Use it as @openai-ml/<model> in requests."),
            (result.GetProperty("slug").GetString(), result.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Update_provider_reads_merges_the_limits_sends_the_workspace_as_query_and_reads_back()
    {
        var current = LiveVirtualKey.Get.Replace("\"usage_limits\":null",
            "\"usage_limits\":{\"type\":\"cost\",\"credit_limit\":100,\"alert_threshold\":80,\"periodic_reset\":\"monthly\"}", StringComparison.Ordinal);
        Portkey.Reply("GET", $"providers/{Slug}", 200, current);
        Portkey.Reply("PUT", $"providers/{Slug}", 200, """{"id":"b0800161-0000-4000-8000-000000000001","slug":"voyageai-prod"}""");

        var result = await OkAsync("update_provider", $$"""{"slug":"{{Slug}}","workspace_id":"{{Workspace}}","credit_limit":200,"note":null}""");

        Assert.Equal(["GET", "PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        var put = Portkey.Single("PUT", $"providers/{Slug}");
        Assert.Equal($"workspace_id={Workspace}", PortkeyStub.Query(put));
        // The alert stays 80 % of the new limit; the reset is kept.
        PortkeyStub.AssertJsonEqual("""
            {"note":null,"usage_limits":{"type":"cost","credit_limit":200,"alert_threshold":160,"periodic_reset":"monthly"}}
            """, PortkeyStub.Body(put));
        Assert.Equal(["credit_limit", "note"], result.GetProperty("updated_fields").EnumerateArray().Select(f => f.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delete_provider_sends_the_workspace_as_query()
    {
        Portkey.Reply("DELETE", $"providers/{Slug}", 200, "{}");

        var result = await OkAsync("delete_provider", $$"""{"slug":"{{Slug}}","workspace_id":"{{Workspace}}"}""");

        Assert.Equal($"workspace_id={Workspace}", PortkeyStub.Query(Portkey.Single("DELETE", $"providers/{Slug}")));
        Assert.Equal(Slug, result.GetProperty("deleted").GetString());
    }

    [Fact]
    public async Task Every_problem_of_a_provider_call_is_named_at_once_and_nothing_is_sent()
    {
        var created = await Server.CallAsync("create_provider", """{"workspace_id":"ml-team","credit_limit":-5,"alert_threshold":150,"slug":"bad slug"}""");
        var updated = await Server.CallAsync("update_provider", $$"""{"slug":"{{Slug}}","workspace_id":"{{Workspace}}"}""");

        Assert.True(created.IsError);
        var text = InProcessServer.Text(created);
        foreach (var field in new[] { "name", "integration_id", "workspace_id", "credit_limit", "alert_threshold", "slug" })
        {
            Assert.Contains(field, text, StringComparison.Ordinal);
        }

        Assert.True(updated.IsError);
        Assert.Contains("nothing to update", InProcessServer.Text(updated), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Portkey.Requests);
    }
}
