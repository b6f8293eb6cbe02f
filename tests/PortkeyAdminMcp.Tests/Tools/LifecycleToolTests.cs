using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Tools;

/// <summary>The lifecycle tools against a stand-in Portkey: exact requests, tolerant reads, dry runs that send nothing.</summary>
public class LifecycleToolTests : StubbedServerTest
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
