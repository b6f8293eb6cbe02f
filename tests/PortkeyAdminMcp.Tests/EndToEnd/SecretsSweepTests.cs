using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>
/// One sweep over the built executable at Trace level: every secret in play (the admin key, provider keys given
/// raw and by ${env:}, one-time key secrets of a create and a rotation) is looked for in every byte of stdout and
/// stderr, the audit log and every result. Secret output is in file mode, the one mode where no result may hold one.
/// </summary>
public sealed class SecretsSweepTests : IAsyncLifetime
{
    private const string ProviderKey = "sk-proj-SweepRawProviderKey1234";
    private const string EnvProviderKey = "sk-proj-SweepEnvProviderKey5678";
    private const string CreatedSecret = "pk-live-SweepCreatedSecret9012";
    private const string RotatedSecret = "pk-live-SweepRotatedSecret3456";
    private const string Slug = "openai-sweep-1a2b";

    private static readonly string[] Secrets = [PortkeyStub.ApiKey, ProviderKey, EnvProviderKey, CreatedSecret, RotatedSecret];

    private readonly PortkeyStub _portkey = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-sweep-").FullName;
    private readonly List<CallToolResult> _results = [];
    private TracedServer _server = null!;

    public async Task InitializeAsync()
    {
        _portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{CreatedSecret}}"}""");
        _portkey.Reply("POST", $"api-keys/{LiveApiKey.Id}/rotate", 200,
            $$"""{"id":"{{LiveApiKey.Id}}","key":"{{RotatedSecret}}","key_transition_expires_at":"2026-12-01T00:30:00Z"}""");
        _portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        _portkey.Reply("POST", "virtual-keys", 200, $$$"""{"success":true,"data":{"slug":"{{{Slug}}}"}}""");
        // An upstream that echoes the key it was sent in its error: the server must not pass that on.
        _portkey.Reply("PUT", $"virtual-keys/{Slug}", 400, $$"""{"message":"invalid provider key {{EnvProviderKey}} for openai"}""");
        _portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");

        var policy = Path.Combine(_directory, "policy.yaml");
        await File.WriteAllTextAsync(policy, """
            version: "1"
            tools:
              create_virtual_key:
                rules:
                  - {name: provider keys need a human, action: require_approval}
              delete_api_key:
                rules:
                  - {name: no deletions, action: deny}
            """);
        _server = await TracedServer.StartAsync(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _portkey.BaseUrl,
            ["PORTKEY_MCP_SECRET_OUTPUT"] = "file",
            ["PORTKEY_MCP_SECRET_DIR"] = Path.Combine(_directory, "secrets"),
            ["PORTKEY_MCP_KEY_ENV_ALLOW"] = "SWEEP_OPENAI_KEY",
            ["SWEEP_OPENAI_KEY"] = EnvProviderKey,
            ["PORTKEY_MCP_POLICY"] = policy,
            ["PORTKEY_MCP_AUDIT_LOG"] = Path.Combine(_directory, "audit.jsonl"),
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _portkey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task CallAsync(string tool, string json) =>
        _results.Add(await _server.Client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token()));

    [Fact]
    public async Task No_secret_appears_on_stdout_stderr_in_the_audit_log_or_in_any_result()
    {
        await CallAsync("create_api_key", """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");
        await CallAsync("rotate_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        await CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        await CallAsync("create_virtual_key", $$"""{"name":"openai-sweep","provider":"openai","key":"{{ProviderKey}}"}""");
        await CallAsync("create_virtual_key", $$"""{"name":"openai-sweep","provider":"openai","key":"{{ProviderKey}}","dry_run":true}""");
        await CallAsync("update_virtual_key", $$"""{"slug":"{{Slug}}","key":"${env:SWEEP_OPENAI_KEY}"}""");
        await CallAsync("create_virtual_key", $$"""{"name":"x","provider":"openai","key":"{{ProviderKey}}","extra":"{{ProviderKey}}"}""");
        await CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}","why":"{{ProviderKey}}"}""");
        await CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        await _server.ExitAsync();

        // The scenario really ran: secrets were delivered to files, Portkey got the provider keys, the user was asked.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_directory, "secrets")).Length);
        Assert.Contains(ProviderKey, _portkey.Single("POST", "virtual-keys").RequestMessage.Body!, StringComparison.Ordinal);
        Assert.Contains(EnvProviderKey, _portkey.Single("PUT", $"virtual-keys/{Slug}").RequestMessage.Body!, StringComparison.Ordinal);
        Assert.Single(_server.Prompts);
        Assert.Equal(9, _results.Count);
        Assert.Contains(_server.Stderr, line => line.Contains("tools/call", StringComparison.Ordinal));

        var places = new Dictionary<string, string>
        {
            ["stdout"] = _server.Stdout.Captured,
            ["stderr"] = string.Join('\n', _server.Stderr),
            ["audit log"] = await File.ReadAllTextAsync(Path.Combine(_directory, "audit.jsonl")),
            ["results"] = string.Join('\n', _results.Select(r => JsonSerializer.Serialize(r, ModelContextProtocol.McpJsonUtilities.DefaultOptions))),
            ["approval prompts"] = string.Join('\n', _server.Prompts),
        };
        Assert.All(places, place => Assert.All(Secrets, secret =>
            Assert.False(place.Value.Contains(secret, StringComparison.Ordinal), $"{place.Key} contains {secret[..12]}…")));
        Assert.Equal(9, places["audit log"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
