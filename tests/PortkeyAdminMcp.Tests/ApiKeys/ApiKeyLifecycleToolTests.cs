using System.Text.Json;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.ApiKeys;

/// <summary>The lifecycle tools against a stand-in Portkey: exact requests, tolerant reads, dry runs that send nothing.</summary>
public class ApiKeyLifecycleToolTests : StubbedServerTest
{
    private const string RotatedSecret = "pk-live-RotatedSecret0001";

    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task List_api_keys_sends_paging_and_reports_more_pages()
    {
        Portkey.Reply("GET", "api-keys", 200, $$"""{"object":"list","total":5,"data":[{{LiveApiKey.Json}},{{LiveApiKey.Json}}]}""");

        var page = await OkAsync("list_api_keys", """{"page_size":2,"current_page":1,"workspace_id":"ws-shared-123"}""");

        var request = Portkey.Single("GET", "api-keys").RequestMessage;
        Assert.Equal("2", request.Query!["page_size"].Single());
        Assert.Equal("1", request.Query!["current_page"].Single());
        Assert.Equal("ws-shared-123", request.Query!["workspace_id"].Single());
        Assert.Equal(5, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("current_page").GetInt64());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(2, page.GetProperty("next_page").GetInt64());
        Assert.Equal("z1*****3AX", page.GetProperty("items")[0].GetProperty("masked_key").GetString());
    }

    [Fact]
    public async Task List_api_keys_last_page_has_no_more()
    {
        Portkey.Reply("GET", "api-keys", 200, $$"""{"object":"list","total":3,"data":[{{LiveApiKey.Json}}]}""");
        var page = await OkAsync("list_api_keys", """{"page_size":2,"current_page":1}""");
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.False(page.TryGetProperty("next_page", out _));
    }

    [Fact]
    public async Task Delete_api_key_sends_one_delete()
    {
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        var result = await OkAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.Equal(LiveApiKey.Id, result.GetProperty("deleted").GetString());
        Assert.True(string.IsNullOrEmpty(Portkey.Single("DELETE", $"api-keys/{LiveApiKey.Id}").RequestMessage.Body));
    }

    [Fact]
    public async Task Delete_tolerates_an_empty_204()
    {
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 204);
        await OkAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
    }

    [Fact]
    public async Task Rotate_posts_once_returns_the_new_secret_and_never_logs_it()
    {
        Portkey.Reply("POST", $"api-keys/{LiveApiKey.Id}/rotate", 200,
            $$"""{"id":"{{LiveApiKey.Id}}","key":"{{RotatedSecret}}","key_transition_expires_at":"2026-01-15T10:30:00.000Z"}""");

        var result = await OkAsync("rotate_api_key", $$"""{"id":"{{LiveApiKey.Id}}","key_transition_period_ms":3600000}""");

        PortkeyStub.AssertJsonEqual("""{"key_transition_period_ms":3600000}""", PortkeyStub.Body(Portkey.Single("POST", $"api-keys/{LiveApiKey.Id}/rotate")));
        Assert.Equal(RotatedSecret, result.GetProperty("key").GetString());
        Assert.Equal("2026-01-15T10:30:00.000Z", result.GetProperty("key_transition_expires_at").GetString());
        Assert.Contains("only time", result.GetProperty("warning").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(RotatedSecret, Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_is_not_retried_after_a_503()
    {
        Portkey.Reply("POST", $"api-keys/{LiveApiKey.Id}/rotate", 503, """{"message":"unavailable"}""");
        var result = await Server.CallAsync("rotate_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError);
        Assert.Equal(1, Portkey.Count("POST", $"api-keys/{LiveApiKey.Id}/rotate"));
    }

    [Fact]
    public async Task Dry_run_update_reads_to_resolve_but_sends_no_write()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200,
            LiveApiKey.With("\"usage_limits\":null", "\"usage_limits\":{\"type\":\"tokens\",\"credit_limit\":1000,\"periodic_reset\":\"weekly\"}"));

        var result = await OkAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","alert_threshold":50,"dry_run":true}""");

        Assert.Equal(["GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        var request = result.GetProperty("request");
        Assert.Equal("PUT", request.GetProperty("method").GetString());
        Assert.Equal($"/api-keys/{LiveApiKey.Id}", request.GetProperty("path").GetString());
        PortkeyStub.AssertJsonEqual("""{"usage_limits":{"type":"tokens","credit_limit":1000,"alert_threshold":500,"periodic_reset":"weekly"}}""",
            System.Text.Json.Nodes.JsonNode.Parse(request.GetProperty("body").GetRawText()));
    }

    [Theory]
    [InlineData("delete_api_key", """{"id":"60571396-bd81-4e58-8c82-4858930ede0b","dry_run":true}""", "DELETE", "/api-keys/60571396-bd81-4e58-8c82-4858930ede0b")]
    [InlineData("rotate_api_key", """{"id":"60571396-bd81-4e58-8c82-4858930ede0b","dry_run":true}""", "POST", "/api-keys/60571396-bd81-4e58-8c82-4858930ede0b/rotate")]
    [InlineData("delete_virtual_key", """{"slug":"open-ai","dry_run":true}""", "DELETE", "/virtual-keys/open-ai")]
    [InlineData("create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"],"dry_run":true}""", "POST", "/api-keys/organisation/service")]
    public async Task Every_write_tool_has_a_dry_run_that_sends_nothing(string tool, string json, string method, string path)
    {
        var result = await OkAsync(tool, json);
        Assert.Empty(Portkey.Requests);
        Assert.Equal(method, result.GetProperty("request").GetProperty("method").GetString());
        Assert.Equal(path, result.GetProperty("request").GetProperty("path").GetString());
    }
}
