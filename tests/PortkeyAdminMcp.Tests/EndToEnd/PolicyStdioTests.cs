using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>The policy guard in the built executable over stdio, with the SDK's client as the user's MCP client.</summary>
public sealed class PolicyStdioTests : IAsyncLifetime
{
    private const string Create = """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""";
    private const string Secret = "pk-live-PolicyStdioSecret0099";

    private const string Policy = """
        version: "1"
        hide: [rotate_api_key]
        tools:
          create_api_key:
            rules:
              - name: two per day
                rate_limit: 2/day
          delete_api_key:
            rules:
              - name: deletions need a human
                action: require_approval
          delete_virtual_key:
            rules:
              - name: block virtual key deletion
                action: deny
                on_deny: "Virtual key deletion is not permitted via AI agents"
        """;

    private readonly PortkeyStub _portkey = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-policy-e2e-").FullName;
    private readonly List<McpClient> _clients = [];

    private string AuditPath => Path.Combine(_directory, "audit.jsonl");

    public Task InitializeAsync()
    {
        _portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{Secret}}"}""");
        _portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _portkey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<McpClient> ConnectAsync(string policy = Policy, McpClientOptions? options = null, Dictionary<string, string?>? extra = null)
    {
        var path = Path.Combine(_directory, "policy.yaml");
        await File.WriteAllTextAsync(path, policy);
        var environment = new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _portkey.BaseUrl,
            ["PORTKEY_MCP_POLICY"] = path,
            ["PORTKEY_MCP_AUDIT_LOG"] = AuditPath,
        };
        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

        var client = await ServerExecutable.ConnectAsync(environment, _stderr.Enqueue, options);
        _clients.Add(client);
        return client;
    }

    private static McpClientOptions Answering(string action) => new()
    {
        Handlers = new McpClientHandlers { ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult { Action = action }) },
    };

    private static Task<CallToolResult> CallAsync(McpClient client, string tool, string json) =>
        client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token()).AsTask();

    private static string Text(CallToolResult result) => InProcessServer.Text(result);

    /// <summary>
    /// A quota can only be asserted inside one window. The built executable runs on the real clock (in-process tests
    /// move a TimeProvider instead), so the stdio scenarios use day windows, and a scenario that happened to span
    /// midnight UTC is run once more, on a fresh server, rather than judged across two windows.
    /// </summary>
    private async Task WithinOneDayAsync(Func<Task> scenario)
    {
        var day = DateTime.UtcNow.Date;
        await scenario();
        if (DateTime.UtcNow.Date != day)
        {
            _portkey.Server.ResetLogEntries();
            await scenario();
        }
    }

    [Fact]
    public async Task A_deny_rule_refuses_with_its_message_and_sends_nothing()
    {
        var client = await ConnectAsync();

        var result = await CallAsync(client, "delete_virtual_key", """{"slug":"openai-prod-1a2b"}""");

        Assert.True(result.IsError);
        Assert.Equal("[POLICY DENIED] Virtual key deletion is not permitted via AI agents", Text(result));
        Assert.Empty(_portkey.Requests);
    }

    [Fact]
    public Task The_third_call_in_a_day_is_refused_and_never_reaches_portkey() => WithinOneDayAsync(async () =>
    {
        var client = await ConnectAsync();

        var results = new List<CallToolResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await CallAsync(client, "create_api_key", Create));
        }

        Assert.Equal([false, false, true], results.Select(r => r.IsError == true));
        Assert.Equal("[POLICY DENIED] Rate limit of 2 per day reached. Try again later.", Text(results[2]));
        Assert.Equal(2, _portkey.Count("POST", "api-keys/organisation/service"));
    });

    [Fact]
    public async Task A_hidden_tool_is_not_listed_and_is_refused_if_called()
    {
        var client = await ConnectAsync();

        var tools = await client.ListToolsAsync(cancellationToken: Bounded.Token());
        Assert.DoesNotContain(tools, t => t.Name == "rotate_api_key");
        var result = await CallAsync(client, "rotate_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.Equal("[POLICY DENIED] Tool \"rotate_api_key\" is hidden by policy", Text(result));
        Assert.Empty(_portkey.Requests);
    }

    [Fact]
    public async Task Read_only_mode_hides_every_write_tool_whatever_the_policy_allows()
    {
        var client = await ConnectAsync(extra: new() { ["PORTKEY_MCP_READ_ONLY"] = "true" });

        var tools = await client.ListToolsAsync(cancellationToken: Bounded.Token());
        // The read-only tools of the default toolsets, and await_approval (this policy asks for approval).
        Assert.Equal(Catalog.ListedByDefault.Where(t => t.IsReadOnly).Select(t => t.Name).Append("await_approval").Order(), tools.Select(t => t.Name).Order());
        Assert.NotEmpty(tools);
        var result = await CallAsync(client, "create_api_key", Create);

        Assert.Equal("[POLICY DENIED] create_api_key can change Portkey, and this server runs read-only (PORTKEY_MCP_READ_ONLY=true). Nothing was sent.", Text(result));
        Assert.Empty(_portkey.Requests);
    }

    [Fact]
    public async Task An_approval_accepted_in_the_client_sends_the_request_once()
    {
        var client = await ConnectAsync(options: Answering("accept"));

        var result = await CallAsync(client, "delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.NotEqual(true, result.IsError);
        Assert.Equal(1, _portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task An_approval_declined_in_the_client_sends_nothing()
    {
        var client = await ConnectAsync(options: Answering("decline"));

        var result = await CallAsync(client, "delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.Equal("[POLICY DENIED] Policy rule \"deletions need a human\" requires your approval for delete_api_key; the user declined. Nothing was sent.", Text(result));
        Assert.Empty(_portkey.Requests);
    }

    [Fact]
    public async Task A_client_without_elicitation_cannot_approve_when_only_the_dialog_is_allowed_and_is_told_so()
    {
        var client = await ConnectAsync(extra: new() { ["PORTKEY_MCP_APPROVAL"] = "elicitation" });

        var result = await CallAsync(client, "delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.Equal(
            "[POLICY DENIED] Policy rule \"deletions need a human\" requires your approval for delete_api_key, but this MCP client cannot ask for it " +
            "(it does not support elicitation) and PORTKEY_MCP_APPROVAL=elicitation rules out the local approval page. Nothing was sent.",
            Text(result));
        Assert.Empty(_portkey.Requests);
    }

    [Fact]
    public async Task The_audit_file_has_one_masked_line_per_call()
    {
        var client = await ConnectAsync(options: Answering("accept"));

        await CallAsync(client, "create_api_key", Create);
        await CallAsync(client, "delete_virtual_key", """{"slug":"openai-prod-1a2b"}""");
        await CallAsync(client, "delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        await CallAsync(client, "create_api_key", """{"name":42}""");

        var lines = File.ReadAllLines(AuditPath).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(
            [("create_api_key", "allowed", null, (int?)200), ("delete_virtual_key", "denied", "block virtual key deletion", null),
             ("delete_api_key", "approved", "deletions need a human", 200), ("create_api_key", "invalid", null, null)],
            lines.Select(l => ((string)l["tool"]!, (string)l["decision"]!, (string?)l["rule"], (int?)l["upstream_status"])));
        Assert.Equal(["kept", "none", "none", "none"], lines.Select(l => (string?)l["quota"]));
        Assert.All(lines, l => Assert.Equal(System.Text.Json.JsonValueKind.Number, l["duration_ms"]!.GetValueKind()));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AuditPath));
        }

        Assert.Equal("ops", (string?)lines[0]["arguments"]!["name"]);
        var audit = File.ReadAllText(AuditPath);
        Assert.DoesNotContain(Secret, audit, StringComparison.Ordinal);
        Assert.DoesNotContain(PortkeyStub.ApiKey, audit, StringComparison.Ordinal);
    }

    public static TheoryData<string> SharedStores() => ["sqlite", "redis"];

    [SkippableTheory]
    [MemberData(nameof(SharedStores))]
    public Task Two_server_processes_sharing_a_store_never_exceed_one_quota_between_them(string kind) => WithinOneDayAsync(async () =>
    {
        if (kind == "redis")
        {
            RedisServer.SkipUnlessInstalled();
        }

        using var redis = kind == "redis" ? new RedisServer() : null;
        var state = redis?.Url ?? $"sqlite:{Path.Combine(_directory, "counters.db")}";
        const string Shared = """
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: three per day across the team
                    rate_limit: 3/day
            """;
        var first = await ConnectAsync(Shared, extra: new() { ["PORTKEY_MCP_POLICY_STATE"] = state });
        var second = await ConnectAsync(Shared, extra: new() { ["PORTKEY_MCP_POLICY_STATE"] = state });

        var calls = Enumerable.Range(0, 10).Select(i => CallAsync(i % 2 == 0 ? first : second, "create_api_key", Create));
        var results = await Task.WhenAll(calls);

        Assert.Equal(3, results.Count(r => r.IsError != true));
        Assert.All(results.Where(r => r.IsError == true),
            r => Assert.Equal("[POLICY DENIED] Rate limit of 3 per day reached. Try again later.", Text(r)));
        Assert.Equal(3, _portkey.Count("POST", "api-keys/organisation/service"));
    });
}
