using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>
/// The client's own approval dialog under protocol 2026-07-28, where nothing is negotiated: every request carries its
/// version and capabilities in _meta, and a tool that must ask answers the tools/call with an input_required result;
/// the client calls again with the user's answer and the requestState. Raw JSON-RPC lines on the built executable,
/// since the SDK's client does not speak this generation.
/// </summary>
public sealed class StatelessApprovalStdioTests : IAsyncLifetime
{
    private const string Meta = """
        {"io.modelcontextprotocol/protocolVersion":"2026-07-28",
         "io.modelcontextprotocol/clientCapabilities":{"elicitation":{}},
         "io.modelcontextprotocol/clientInfo":{"name":"raw-2026","version":"1"}}
        """;

    private readonly PortkeyStub _portkey = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-mrtr-").FullName;

    private string AuditPath => Path.Combine(_directory, "audit.jsonl");

    public Task InitializeAsync()
    {
        _portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _portkey.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<RawStdioSession> StartAsync(string approvalTimeout = "10m")
    {
        var policy = Path.Combine(_directory, "policy.yaml");
        await File.WriteAllTextAsync(policy, $$"""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: one a day, rate_limit: 1/day}
                  - {name: deletions need a human, action: require_approval, approval_timeout: {{approvalTimeout}}}
            """);
        var session = RawStdioSession.Start(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _portkey.BaseUrl,
            ["PORTKEY_MCP_POLICY"] = policy,
            ["PORTKEY_MCP_AUDIT_LOG"] = AuditPath,
            ["Logging__LogLevel__Default"] = "Information",
        });
        var discovered = await session.RequestAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{{{Meta}}}}}""".ReplaceLineEndings(""), 1);
        Assert.True(discovered.TryGetProperty("result", out _), discovered.GetRawText());
        return session;
    }

    private static string Call(int id, string? answer = null, string? requestState = null)
    {
        var parameters = new JsonObject
        {
            ["name"] = "delete_api_key",
            ["arguments"] = new JsonObject { ["id"] = LiveApiKey.Id },
            ["_meta"] = JsonNode.Parse(Meta),
        };
        if (answer is not null)
        {
            parameters["inputResponses"] = JsonNode.Parse(answer);
            parameters["requestState"] = requestState;
        }

        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call", ["params"] = parameters }.ToJsonString();
    }

    /// <summary>The first round: the server asks instead of answering; returns the input request's key and the state to send back.</summary>
    private static async Task<(string Key, string State, string Message)> AskedAsync(RawStdioSession session, int id = 2)
    {
        var response = await session.RequestAsync(Call(id), id);
        var result = response.GetProperty("result");
        Assert.True("input_required" == result.GetProperty("resultType").GetString(), result.GetRawText());
        var request = Assert.Single(result.GetProperty("inputRequests").EnumerateObject());
        Assert.Equal("elicitation/create", request.Value.GetProperty("method").GetString());
        return (request.Name, result.GetProperty("requestState").GetString()!, request.Value.GetProperty("params").GetProperty("message").GetString()!);
    }

    private static string Answer(string key, string action) =>
        new JsonObject { [key] = new JsonObject { ["action"] = action, ["content"] = new JsonObject() } }.ToJsonString();

    private List<JsonNode> AuditLines() => [.. File.ReadAllLines(AuditPath).Select(line => JsonNode.Parse(line)!)];

    [Fact]
    public async Task An_accept_on_the_second_round_sends_the_request_it_showed_once()
    {
        await using var session = await StartAsync();

        var (key, state, message) = await AskedAsync(session);
        Assert.Empty(_portkey.Requests);
        Assert.Contains($"DELETE {_portkey.BaseUrl}/api-keys/{LiveApiKey.Id}", message, StringComparison.Ordinal);

        var response = await session.RequestAsync(Call(3, Answer(key, "accept"), state), 3);

        var result = response.GetProperty("result");
        Assert.False(result.TryGetProperty("isError", out var isError) && isError.GetBoolean(), result.GetRawText());
        Assert.Equal(LiveApiKey.Id, result.GetProperty("structuredContent").GetProperty("deleted").GetString());
        Assert.Equal(1, _portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));
        Assert.Single(_portkey.Requests);
        Assert.Equal(0, await session.CloseAsync());
        var line = Assert.Single(AuditLines());
        Assert.Equal(("approved", "elicitation", "kept"), ((string?)line["decision"], (string?)line["approval_channel"], (string?)line["quota"]));
    }

    [Fact]
    public async Task A_decline_sends_nothing_and_gives_the_quota_back()
    {
        await using var session = await StartAsync();
        var (key, state, _) = await AskedAsync(session);

        var response = await session.RequestAsync(Call(3, Answer(key, "decline"), state), 3);

        var result = response.GetProperty("result");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Equal("[POLICY DENIED] Policy rule \"deletions need a human\" requires your approval for delete_api_key; the user declined. Nothing was sent.",
            result.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Empty(_portkey.Requests);
        Assert.Equal(0, await session.CloseAsync());
        var line = Assert.Single(AuditLines());
        Assert.Equal(("declined", "elicitation", "returned"), ((string?)line["decision"], (string?)line["approval_channel"], (string?)line["quota"]));
    }

    [Fact]
    public async Task A_client_that_never_comes_back_gets_its_quota_back_when_the_approval_times_out()
    {
        await using var session = await StartAsync(approvalTimeout: "1s");
        await AskedAsync(session);

        // When approval_timeout passes on the server's own clock, it refuses the call and gives the unit back, and logs
        // both: events to wait for, not a sleep.
        Assert.Contains("nobody answered within 1 s, so it timed out", await session.StderrLineAsync("not approved under policy rule deletions need a human"), StringComparison.Ordinal);
        await session.StderrLineAsync("delete_api_key: policy quota given back");

        Assert.Empty(_portkey.Requests);
        // The unit it held is free again: under "one a day", a new call is asked for, not refused.
        var (key, state, _) = await AskedAsync(session, 4);
        var second = await session.RequestAsync(Call(5, Answer(key, "accept"), state), 5);
        Assert.Equal(LiveApiKey.Id, second.GetProperty("result").GetProperty("structuredContent").GetProperty("deleted").GetString());
        Assert.Equal(1, _portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));
        Assert.Equal(0, await session.CloseAsync());
        var lines = AuditLines();
        Assert.Equal(2, lines.Count);
        Assert.Equal(("declined", "returned"), ((string?)lines[0]["decision"], (string?)lines[0]["quota"]));
        Assert.Equal("nothing changed upstream: approval was not given", (string?)lines[0]["quota_reason"]);
        Assert.Equal(("approved", "kept"), ((string?)lines[1]["decision"], (string?)lines[1]["quota"]));
    }
}
