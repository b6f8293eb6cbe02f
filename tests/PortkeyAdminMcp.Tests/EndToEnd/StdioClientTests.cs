using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>The built executable over stdio, driven by the SDK's McpClient as Claude Desktop would drive it.</summary>
public class StdioClientTests : IAsyncLifetime
{
    private const string ProviderKey = "sk-proj-E2eProviderKey0042";
    private const string OneTimeSecret = "pk-live-E2eOneTimeSecret0042";

    private readonly PortkeyStub _portkey = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await ConnectAsync(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _portkey.BaseUrl,
            ["Logging__LogLevel__Default"] = "Trace",
        });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _portkey.Dispose();
    }

    private Task<McpClient> ConnectAsync(Dictionary<string, string?> environment) => ServerExecutable.ConnectAsync(environment, _stderr.Enqueue);

    private Task<CallToolResult> CallAsync(McpClient client, string tool, string json) =>
        client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token()).AsTask();

    [Fact]
    public void Server_reports_its_name_and_version()
    {
        Assert.Equal("portkey-admin-mcp", _client.ServerInfo!.Name);
        Assert.Equal("0.1.0", _client.ServerInfo.Version);
    }

    /// <summary>
    /// The one place tool names are written by hand: what a user's policy files and clients rely on — every published
    /// name and its annotations (read-only, destructive, idempotent).
    /// </summary>
    private static readonly (string Name, bool ReadOnly, bool Destructive, bool Idempotent)[] s_published =
    [
        ("create_api_key", false, false, false), ("update_api_key", false, true, true), ("get_api_key", true, false, true),
        ("list_api_keys", true, false, true), ("delete_api_key", false, true, true), ("rotate_api_key", false, true, false),
        ("create_virtual_key", false, false, false), ("get_virtual_key", true, false, true), ("list_virtual_keys", true, false, true),
        ("update_virtual_key", false, true, true), ("delete_virtual_key", false, true, true),
        ("list_workspaces", true, false, true), ("get_workspace", true, false, true), ("create_workspace", false, false, false),
        ("update_workspace", false, true, true), ("delete_workspace", false, true, true),
        ("list_workspace_members", true, false, true), ("get_workspace_member", true, false, true), ("add_workspace_member", false, false, false),
        ("update_workspace_member", false, true, true), ("remove_workspace_member", false, true, true),
        ("list_all_users", true, false, true), ("get_user", true, false, true), ("update_user", false, true, true), ("delete_user", false, true, true),
        ("invite_user", false, false, false), ("list_user_invites", true, false, true), ("get_user_invite", true, false, true),
        ("delete_user_invite", false, true, true), ("resend_user_invite", false, false, false),
    ];

    [Fact]
    public async Task Lists_every_tool_with_the_seed_contract_and_honest_annotations()
    {
        var tools = (await _client.ListToolsAsync(cancellationToken: Bounded.Token())).ToDictionary(t => t.Name);
        Assert.Equal(s_published.Select(t => t.Name).Order(), tools.Keys.Order());
        foreach (var (name, readOnly, destructive, idempotent) in s_published)
        {
            var annotations = tools[name].ProtocolTool.Annotations!;
            Assert.Equal((readOnly, destructive, idempotent, true),
                (annotations.ReadOnlyHint!.Value, annotations.DestructiveHint!.Value, annotations.IdempotentHint!.Value, annotations.OpenWorldHint!.Value));
        }

        // The seed tools' parameters and JSON types exactly (update's expires_at is string-or-null: the seed
        // table's "object" is a rendering artefact, reference §6.3); later issues only add optional parameters.
        void AssertContract(string name, string seed, string[] required)
        {
            var schema = tools[name].ProtocolTool.InputSchema;
            var properties = schema.GetProperty("properties");
            foreach (var pair in seed.Split(' '))
            {
                var (parameter, type) = (pair.Split(':')[0], pair.Split(':')[1]);
                var published = properties.GetProperty(parameter).GetProperty("type");
                var types = published.ValueKind == JsonValueKind.Array ? published.EnumerateArray().Select(t => t.GetString()) : [published.GetString()];
                Assert.True(types.First() == type, $"{name}.{parameter} is {published}, the seed says {type}");
            }

            Assert.Equal(required.Order(), schema.GetProperty("required").EnumerateArray().Select(p => p.GetString()!).Order());
            Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
            Assert.NotNull(tools[name].ProtocolTool.OutputSchema);
            Assert.False(string.IsNullOrWhiteSpace(tools[name].Description));
            Assert.False(string.IsNullOrWhiteSpace(tools[name].ProtocolTool.Title));
        }

        AssertContract("create_api_key",
            "name:string type:string scopes:array user_id:string sub_type:string expires_at:string description:string alert_emails:array " +
            "credit_limit:number workspace_id:string rate_limit_rpm:number alert_threshold:number default_config_id:string default_metadata:object",
            ["name", "type", "scopes", "sub_type"]);
        AssertContract("create_virtual_key",
            "key:string name:string note:string provider:string api_version:string credit_limit:number workspace_id:string " +
            "resource_name:string rate_limit_rpm:number alert_threshold:number deployment_name:string",
            ["key", "name", "provider"]);
        AssertContract("update_api_key",
            "id:string name:string scopes:array expires_at:string description:string alert_emails:array credit_limit:number " +
            "rate_limit_rpm:number alert_threshold:number default_metadata:object default_config_id:string",
            ["id"]);
        AssertContract("get_api_key", "id:string", ["id"]);
        Assert.Equal(["id"], tools["get_api_key"].ProtocolTool.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Calls_every_tool_and_keeps_every_secret_off_stderr_at_trace_level()
    {
        _portkey.Reply("POST", "api-keys/workspace/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{OneTimeSecret}}","object":"api-key"}""");
        _portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        _portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        _portkey.Reply("POST", "virtual-keys", 200, """{"success":true,"data":{"slug":"openai-e2e"}}""");

        var created = await CallAsync(_client, "create_api_key",
            """{"name":"e2e","type":"workspace","sub_type":"service","workspace_id":"ws-e2e","scopes":["completions.write"]}""");
        Assert.Equal(OneTimeSecret, created.StructuredContent!.Value.GetProperty("key").GetString());

        var read = await CallAsync(_client, "get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.Equal("z1*****3AX", read.StructuredContent!.Value.GetProperty("masked_key").GetString());

        var updated = await CallAsync(_client, "update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","description":"changed"}""");
        Assert.True(updated.IsError is not true, InProcessServer.Text(updated));

        var virtualKey = await CallAsync(_client, "create_virtual_key", $$"""{"key":"{{ProviderKey}}","name":"oa","provider":"openai"}""");
        Assert.Equal("openai-e2e", virtualKey.StructuredContent!.Value.GetProperty("slug").GetString());
        PortkeyStub.AssertJsonEqual($$"""{"name":"oa","provider":"openai","key":"{{ProviderKey}}"}""", PortkeyStub.Body(_portkey.Single("POST", "virtual-keys")));

        await _client.DisposeAsync();
        var stderr = string.Join('\n', _stderr);
        Assert.Contains("trce", stderr, StringComparison.Ordinal);
        Assert.Contains("tools/call", stderr, StringComparison.Ordinal);
        foreach (var secret in new[] { PortkeyStub.ApiKey, ProviderKey, OneTimeSecret })
        {
            Assert.DoesNotContain(secret, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_an_api_key_the_server_starts_lists_tools_and_explains_how_to_set_it()
    {
        await using var client = await ConnectAsync(new Dictionary<string, string?> { ["PORTKEY_BASE_URL"] = _portkey.BaseUrl });
        Assert.Equal(Catalog.ListedByDefault.Count, (await client.ListToolsAsync(cancellationToken: Bounded.Token())).Count);

        var result = await CallAsync(client, "get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.StartsWith("PORTKEY_API_KEY is not set", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Empty(_portkey.Requests);
    }

    [Fact]
    public async Task Unknown_tool_is_a_protocol_error_and_the_server_keeps_serving()
    {
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => CallAsync(_client, "delete_everything", "{}"));
        Assert.Contains("delete_everything", error.Message, StringComparison.Ordinal);
        Assert.Equal(Catalog.ListedByDefault.Count, (await _client.ListToolsAsync(cancellationToken: Bounded.Token())).Count);
    }
}
