using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// A test class whose tests each start the real composition with a policy file, an audit log and a clock the test
/// moves, against a fresh stand-in Portkey.
/// </summary>
public abstract class PolicyServerTest : IAsyncLifetime
{
    private InProcessServer? _server;

    protected PortkeyStub Portkey { get; } = new();

    protected string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pk-policy-").FullName;

    /// <summary>Noon (and 5 s) of today, UTC: far from any window boundary until a test moves it.</summary>
    protected ManualClock Clock { get; } = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(12).AddSeconds(5), TimeSpan.Zero));

    protected string AuditPath => Path.Combine(Directory, "audit.jsonl");

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await DisposeServerAsync();
        Portkey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Stops the server started last, so a test can start another (with fresh counters).</summary>
    protected async Task DisposeServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    protected async Task<InProcessServer> StartAsync(
        string policy,
        Func<ElicitRequestParams?, CancellationToken, ValueTask<ElicitResult>>? approve = null,
        string? state = null,
        Dictionary<string, string?>? settings = null,
        TimeProvider? clock = null,
        Action<IServiceCollection>? replace = null)
    {
        var path = Path.Combine(Directory, "policy.yaml");
        await File.WriteAllTextAsync(path, policy);
        var options = approve is null ? null : new McpClientOptions { Handlers = new McpClientHandlers { ElicitationHandler = approve } };
        var all = new Dictionary<string, string?>
        {
            ["PORTKEY_MCP_POLICY"] = path,
            ["PORTKEY_MCP_AUDIT_LOG"] = AuditPath,
            ["PORTKEY_MCP_POLICY_STATE"] = state,
        };
        foreach (var (name, value) in settings ?? [])
        {
            all[name] = value;
        }

        _server = await InProcessServer.StartAsync(Portkey, all, options, clock ?? Clock, replace);
        return _server;
    }

    protected List<JsonObject> AuditLines() =>
        [.. File.ReadAllLines(AuditPath).Select(line => JsonNode.Parse(line)!.AsObject())];

    protected static void AssertRefused(CallToolResult result, string message)
    {
        Assert.True(result.IsError);
        Assert.Equal("[POLICY DENIED] " + message, InProcessServer.Text(result));
    }
}
