using System.Collections.Concurrent;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>A key's whole life through the built executable, as an agent would run it without a browser.</summary>
public class LifecycleTests : IAsyncLifetime
{
    private const string CreatedSecret = "pk-live-LifecycleCreated01";
    private const string RotatedSecret = "pk-live-LifecycleRotated02";
    private const string ProviderKey = "sk-proj-LifecycleProvider03";

    private readonly PortkeyStub _portkey = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await ServerExecutable.ConnectAsync(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _portkey.BaseUrl,
            ["Logging__LogLevel__Default"] = "Trace",
        }, _stderr.Enqueue);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _portkey.Dispose();
    }

    private Dictionary<string, McpClientTool>? _published;

    private async Task<CallToolResult> CallAsync(string tool, string json)
    {
        var result = await _client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token());
        Assert.True(result.IsError is not true, $"{tool}: {InProcessServer.Text(result)}");
        _published ??= (await _client.ListToolsAsync(cancellationToken: Bounded.Token())).ToDictionary(t => t.Name);
        InProcessServer.AssertMatchesOutputSchema(_published[tool].ProtocolTool, result);
        return result;
    }

    [Fact]
    public async Task Api_key_create_get_update_rotate_list_delete()
    {
        var id = LiveApiKey.Id;
        _portkey.Reply("POST", "api-keys/workspace/service", 200, $$"""{"id":"{{id}}","key":"{{CreatedSecret}}","object":"api-key"}""");
        _portkey.Reply("GET", $"api-keys/{id}", 200, LiveApiKey.Json);
        _portkey.Reply("PUT", $"api-keys/{id}", 200, "{}");
        _portkey.Reply("POST", $"api-keys/{id}/rotate", 200, $$"""{"id":"{{id}}","key":"{{RotatedSecret}}","key_transition_expires_at":"2026-12-01T00:30:00.000Z"}""");
        _portkey.Reply("GET", "api-keys", 200, $$"""{"object":"list","total":1,"data":[{{LiveApiKey.Json}}]}""");
        _portkey.Reply("DELETE", $"api-keys/{id}", 200, "{}");

        var created = await CallAsync("create_api_key", """
            {"name":"gira-app","type":"workspace","sub_type":"service","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e",
             "scopes":["completions.write"],"rotation_policy":{"rotation_period":"monthly"}}
            """);
        Assert.Equal(CreatedSecret, created.StructuredContent!.Value.GetProperty("key").GetString());
        await CallAsync("get_api_key", $$"""{"id":"{{id}}"}""");
        await CallAsync("update_api_key", $$"""{"id":"{{id}}","rate_limits":[{"type":"tokens","unit":"rpd","value":100000}],"expires_at":null}""");
        var rotated = await CallAsync("rotate_api_key", $$"""{"id":"{{id}}","key_transition_period_ms":1800000}""");
        Assert.Equal(RotatedSecret, rotated.StructuredContent!.Value.GetProperty("key").GetString());
        var listed = await CallAsync("list_api_keys", """{"page_size":10}""");
        Assert.Equal(1, listed.StructuredContent!.Value.GetProperty("total").GetInt64());
        await CallAsync("delete_api_key", $$"""{"id":"{{id}}"}""");

        Assert.Equal(
            ["POST /v1/api-keys/workspace/service", $"GET /v1/api-keys/{id}", $"PUT /v1/api-keys/{id}", $"GET /v1/api-keys/{id}",
             $"POST /v1/api-keys/{id}/rotate", "GET /v1/api-keys", $"DELETE /v1/api-keys/{id}"],
            _portkey.Requests.OrderBy(r => r.RequestMessage.DateTime).Select(r => $"{r.RequestMessage.Method} {r.RequestMessage.Path}"));
        PortkeyStub.AssertJsonEqual("""{"rate_limits":[{"type":"tokens","unit":"rpd","value":100000}],"expires_at":null}""",
            PortkeyStub.Body(_portkey.Single("PUT", $"api-keys/{id}")));

        await _client.DisposeAsync();
        var stderr = string.Join('\n', _stderr);
        Assert.DoesNotContain(CreatedSecret, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(RotatedSecret, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(PortkeyStub.ApiKey, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Virtual_key_create_get_update_list_delete()
    {
        var slug = LiveVirtualKey.Slug;
        _portkey.Reply("POST", "virtual-keys", 200, $$"""{"id":"b0800161-0000-4000-8000-000000000001","slug":"{{slug}}","object":"virtual-key"}""");
        _portkey.Reply("GET", $"virtual-keys/{slug}", 200, LiveVirtualKey.Get);
        _portkey.Reply("PUT", $"virtual-keys/{slug}", 200, "{}");
        _portkey.Reply("GET", "virtual-keys", 200, LiveVirtualKey.List);
        _portkey.Reply("DELETE", $"virtual-keys/{slug}", 200, "{}");

        var created = await CallAsync("create_virtual_key", $$"""{"key":"{{ProviderKey}}","name":"voyageai","provider":"voyage","expires_at":"2030-01-01T00:00:00Z"}""");
        Assert.Equal(slug, created.StructuredContent!.Value.GetProperty("slug").GetString());
        await CallAsync("get_virtual_key", $$"""{"slug":"{{slug}}"}""");
        await CallAsync("update_virtual_key", $$"""{"slug":"{{slug}}","note":"rotated provider key","key":"{{ProviderKey}}-2"}""");
        await CallAsync("list_virtual_keys", """{"page_size":50,"current_page":0}""");
        await CallAsync("delete_virtual_key", $$"""{"slug":"{{slug}}"}""");

        Assert.Equal(
            ["POST /v1/virtual-keys", $"GET /v1/virtual-keys/{slug}", $"PUT /v1/virtual-keys/{slug}", $"GET /v1/virtual-keys/{slug}",
             "GET /v1/virtual-keys", $"DELETE /v1/virtual-keys/{slug}"],
            _portkey.Requests.OrderBy(r => r.RequestMessage.DateTime).Select(r => $"{r.RequestMessage.Method} {r.RequestMessage.Path}"));

        await _client.DisposeAsync();
        Assert.DoesNotContain(ProviderKey, string.Join('\n', _stderr), StringComparison.Ordinal);
    }
}
