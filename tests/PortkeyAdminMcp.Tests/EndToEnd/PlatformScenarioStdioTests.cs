using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Support;
using static PortkeyAdminMcp.Tests.Fixtures.LiveWorkspace;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>
/// What a platform team does, through the built executable over stdio at Trace level: an integration from
/// ${env:OPENAI_API_KEY}, enabled for the ML workspace with a monthly budget (approved by a human who sees what
/// changes), a provider there, an organisation-wide rate-limit policy on it, and the audit log read back. The
/// provider key reaches Portkey once and appears nowhere else: not on stdout, stderr, in the audit log, a result or
/// the approval prompt.
/// </summary>
public sealed class PlatformScenarioStdioTests : IAsyncLifetime
{
    private const string OpenAiKey = "sk-proj-PlatformScenarioKey7788";
    private const string Organisation = "02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11";
    private const string PolicyId = "a1b2c3d4-0000-4000-8000-00000000c0de";

    private static readonly string[] Secrets = [PortkeyStub.ApiKey, OpenAiKey];

    private readonly PortkeyStub _portkey = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-platform-").FullName;
    private readonly List<CallToolResult> _results = [];
    private TracedServer _server = null!;

    public async Task InitializeAsync()
    {
        _portkey.Reply("POST", "integrations", 200, """{"id":"i-1","slug":"openai-platform"}""");
        _portkey.Reply("GET", "integrations/openai-platform/workspaces", 200, """{"total":0,"workspaces":[]}""");
        _portkey.Reply("GET", $"admin/workspaces/{Id}", 200, Get);
        _portkey.Reply("PUT", "integrations/openai-platform/workspaces", 200, "{}");
        _portkey.Reply("POST", "providers", 200, """{"id":"p-1","slug":"openai-ml"}""");
        _portkey.Reply("POST", "policies/rate-limits", 200, $$"""{"id":"{{PolicyId}}","object":"policy_rate_limits"}""");
        // An audit log that recorded the integration's creation with its key in the body: it must not come back out.
        _portkey.Reply("GET", "audit-logs", 200, $$"""
            {"object":"analytics-graph","total":1,"records":[{"timestamp":"2026-12-02T09:00:00Z","method":"POST","uri":"/v1/integrations",
             "request_body":"{\"name\":\"OpenAI\",\"key\":\"{{OpenAiKey}}\"}","request_headers":"{\"x-portkey-api-key\":\"{{PortkeyStub.ApiKey}}\"}",
             "user_type":"api_key","response_status_code":200,"resource_type":"integrations","action":"create"}]}
            """);

        var policy = Path.Combine(_directory, "policy.yaml");
        await File.WriteAllTextAsync(policy, """
            version: "1"
            tools:
              update_integration_workspaces:
                rules:
                  - {name: access changes need a human, action: require_approval}
              delete_integration:
                rules:
                  - {name: integrations are deleted by a human, action: require_approval}
            """);
        _server = await TracedServer.StartAsync(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _portkey.BaseUrl,
            ["PORTKEY_MCP_TOOLSETS"] = "integrations,providers,limits,audit",
            ["PORTKEY_MCP_KEY_ENV_ALLOW"] = "OPENAI_API_KEY",
            ["OPENAI_API_KEY"] = OpenAiKey,
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

    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await _server.Client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token());
        _results.Add(result);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task Integration_workspace_budget_provider_rate_limit_and_audit_log_with_the_key_only_upstream()
    {
        var integration = await OkAsync("create_integration", """
            {"name":"OpenAI","ai_provider_id":"openai","slug":"openai-platform","key":"${env:OPENAI_API_KEY}","configurations":{"openai_organization":"org-platform"}}
            """);
        var access = await OkAsync("update_integration_workspaces", $$"""
            {"slug":"openai-platform","workspaces":[{"id":"{{Id}}","enabled":true,"credit_limit":500,"alert_threshold":80,"periodic_reset":"monthly"}],"create_default_provider":false}
            """);
        var provider = await OkAsync("create_provider", $$"""{"name":"OpenAI for ML","integration_id":"openai-platform","workspace_id":"{{Id}}","slug":"openai-ml"}""");
        var rateLimit = await OkAsync("create_rate_limit", """
            {"name":"OpenAI org RPM","conditions":[{"key":"provider","value":"openai-ml"}],"group_by":[{"key":"api_key"}],"type":"requests","unit":"rpm","value":600}
            """);
        var audit = await OkAsync("list_audit_logs", $$"""{"start_time":"2026-12-02T00:00:00Z","end_time":"2026-12-03T00:00:00Z","organisation_id":"{{Organisation}}"}""");
        await _server.ExitAsync();

        Assert.Equal(("openai-platform", "openai-ml", PolicyId), (integration.GetProperty("slug").GetString(), provider.GetProperty("slug").GetString(), rateLimit.GetProperty("id").GetString()));
        PortkeyStub.AssertJsonEqual($$"""{"enabled":["{{Slug}}"],"disabled":[],"limits_changed":[],"unchanged":0}""",
            System.Text.Json.Nodes.JsonNode.Parse(access.GetProperty("changes").GetRawText()));
        Assert.Equal(
            ["POST /v1/integrations", "GET /v1/integrations/openai-platform/workspaces", $"GET /v1/admin/workspaces/{Id}", "PUT /v1/integrations/openai-platform/workspaces",
             "POST /v1/providers", "POST /v1/policies/rate-limits", "GET /v1/audit-logs"],
            _portkey.Requests.OrderBy(r => r.RequestMessage.DateTime).Select(r => $"{r.RequestMessage.Method} {r.RequestMessage.Path}"));
        // The key went upstream, once, where it belongs.
        PortkeyStub.AssertJsonEqual($$"""
            {"name":"OpenAI","ai_provider_id":"openai","slug":"openai-platform","configurations":{"openai_organization":"org-platform"},"key":"{{OpenAiKey}}"}
            """, PortkeyStub.Body(_portkey.Single("POST", "integrations")));
        PortkeyStub.AssertJsonEqual($$"""
            {"workspaces":[{"id":"{{Slug}}","enabled":true,"usage_limits":[{"type":"cost","credit_limit":500,"alert_threshold":400,"periodic_reset":"monthly"}]}],"create_default_provider":false}
            """, PortkeyStub.Body(_portkey.Single("PUT", "integrations/openai-platform/workspaces")));
        // The human saw what changes before it was sent.
        var prompt = Assert.Single(_server.Prompts);
        Assert.Contains("PUT " + _portkey.BaseUrl + "/integrations/openai-platform/workspaces", prompt, StringComparison.Ordinal);
        Assert.Contains($"Changes: {{\"enabled\":[\"{Slug}\"]", prompt, StringComparison.Ordinal);
        Assert.Equal("[REDACTED]", audit.GetProperty("items")[0].GetProperty("request_body").GetProperty("key").GetString());

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
        Assert.Equal(5, places["audit log"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(_server.Stderr, line => line.Contains("tools/call", StringComparison.Ordinal));
    }
}
