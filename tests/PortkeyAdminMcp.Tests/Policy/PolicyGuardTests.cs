using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>The policy on the real composition: what the agent gets, what reaches Portkey, what the audit log keeps.</summary>
public sealed class PolicyGuardTests : PolicyServerTest
{
    private const string Create = """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""";
    private const string Secret = "pk-live-PolicyGuardSecret0042";
    private const string ProviderKey = "sk-proj-PolicyGuardProviderKey77";

    public override Task InitializeAsync()
    {
        Portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{Secret}}"}""");
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_deny_rule_refuses_with_its_message_and_nothing_reachesPortkey()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - name: block key deletion
                    action: deny
                    on_deny: "Key deletion is not permitted via AI agents"
            """);

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        AssertRefused(result, "Key deletion is not permitted via AI agents");
        Assert.Empty(Portkey.Requests);
        var line = Assert.Single(AuditLines());
        Assert.Equal("denied", (string?)line["decision"]);
        Assert.Equal("block key deletion", (string?)line["rule"]);
        Assert.Null(line["upstream_status"]);
    }

    [Fact]
    public async Task A_refused_update_is_refused_before_the_read_it_would_need()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - {name: no updates, action: deny}
            """);

        var result = await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","alert_threshold":80}""");

        AssertRefused(result, "Refused by policy rule \"no updates\".");
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task A_rate_limit_refuses_the_call_past_it_until_the_next_calendar_window()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: two per minute
                    rate_limit: 2/minute
            """);

        Assert.NotEqual(true, (await server.CallAsync("create_api_key", Create)).IsError);
        Assert.NotEqual(true, (await server.CallAsync("create_api_key", Create)).IsError);
        var third = await server.CallAsync("create_api_key", Create);

        AssertRefused(third, "Rate limit of 2 per minute reached. Try again later.");
        Assert.Equal(2, Portkey.Count("POST", "api-keys/organisation/service"));

        Clock.Now = Clock.Now.AddMinutes(1).AddSeconds(-Clock.Now.Second);
        Assert.NotEqual(true, (await server.CallAsync("create_api_key", Create)).IsError);
        Assert.Equal(3, Portkey.Count("POST", "api-keys/organisation/service"));
    }

    [Fact]
    public async Task A_counter_without_its_own_message_says_when_it_resets()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              "*":
                rules:
                  - name: daily calls
                    conditions: [{path: state._global.calls, op: lt, value: 2}]
                    state: {counter: calls, window: day}
            """);

        await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        var second = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        AssertRefused(second, $"Policy rule \"daily calls\" allows 1 per day and this day's quota is spent. It resets at {Clock.Now.UtcDateTime.Date.AddDays(1):yyyy-MM-dd} 00:00:00 UTC.");
    }

    [Fact]
    public async Task A_refused_call_an_invalid_call_and_a_dry_run_spend_no_quota()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: one per hour
                    rate_limit: 1/hour
            """);
        Portkey.ReplySequence("POST", "api-keys/organisation/service", (400, """{"error":"bad scope"}"""), (200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{Secret}}"}"""));

        Assert.True((await server.CallAsync("create_api_key", Create)).IsError);
        Assert.True((await server.CallAsync("create_api_key", """{"name":"ops"}""")).IsError);
        Assert.NotEqual(true, (await server.CallAsync("create_api_key", Create.Replace("}", ",\"dry_run\":true}", StringComparison.Ordinal))).IsError);
        Assert.NotEqual(true, (await server.CallAsync("create_api_key", Create)).IsError);
        AssertRefused(await server.CallAsync("create_api_key", Create), "Rate limit of 1 per hour reached. Try again later.");

        Assert.Equal(["allowed", "invalid", "allowed", "allowed", "denied"], AuditLines().Select(l => (string?)l["decision"]));
        Assert.Equal([400, null, null, 200, null], AuditLines().Select(l => (int?)l["upstream_status"]));
        Assert.Equal(["returned", "none", "none", "kept", "none"], AuditLines().Select(l => (string?)l["quota"]));
        Assert.Equal(2, Portkey.Count("POST", "api-keys/organisation/service"));
    }

    [Fact]
    public async Task A_dry_run_is_still_judged_by_the_rules()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: no deletions, action: deny, on_deny: "No deletions."}
            """);

        AssertRefused(await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}","dry_run":true}"""), "No deletions.");
    }

    [Fact]
    public async Task Hidden_tools_are_not_listed_and_refused_if_called()
    {
        var server = await StartAsync("""
            version: "1"
            hide: [delete_api_key, rotate_api_key]
            tools: {}
            """);

        var tools = await server.Client.ListToolsAsync(cancellationToken: Bounded.Token());
        Assert.DoesNotContain(tools, t => t.Name is "delete_api_key" or "rotate_api_key");
        Assert.Equal(Catalog.ListedByDefault.Count - 2, tools.Count);
        AssertRefused(await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}"""), "Tool \"delete_api_key\" is hidden by policy");
        Assert.Empty(Portkey.Requests);
        Assert.Equal("(hidden)", (string?)Assert.Single(AuditLines())["rule"]);
    }

    [Fact]
    public async Task Approval_shows_the_exact_request_and_an_accept_sends_it_once()
    {
        ElicitRequestParams? asked = null;
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: deletions need a human, action: require_approval}
            """, (request, _) =>
            {
                asked = request;
                return ValueTask.FromResult(new ElicitResult { Action = "accept" });
            });

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.NotEqual(true, result.IsError);
        Assert.Equal(
            $"Approve this Portkey change? Policy rule \"deletions need a human\" requires your approval for delete_api_key.\n\n" +
            $"Tool: delete_api_key\nRequest: DELETE {Portkey.BaseUrl}/api-keys/{LiveApiKey.Id}\n\n" +
            "Nothing is sent unless you accept. This request expires in 10 min.",
            asked!.Message);
        Assert.Equal(1, Portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));
        var line = Assert.Single(AuditLines());
        Assert.Equal("approved", (string?)line["decision"]);
        Assert.Equal("deletions need a human", (string?)line["rule"]);
        Assert.Equal(200, (int?)line["upstream_status"]);
    }

    [Fact]
    public async Task The_approval_prompt_and_the_audit_line_show_the_body_with_secrets_masked()
    {
        ElicitRequestParams? asked = null;
        Portkey.Reply("POST", "virtual-keys", 200, """{"success":true,"data":{"slug":"openai-ops-1a2b3c"}}""");
        var server = await StartAsync("""
            version: "1"
            tools:
              create_virtual_key:
                rules:
                  - {name: new provider keys need a human, action: require_approval}
            """, (request, _) =>
            {
                asked = request;
                return ValueTask.FromResult(new ElicitResult { Action = "accept" });
            });

        await server.CallAsync("create_virtual_key", $$"""{"name":"openai-ops","provider":"openai","key":"{{ProviderKey}}"}""");

        Assert.Contains("Request: POST " + Portkey.BaseUrl + "/virtual-keys\nBody:\n{\n", asked!.Message, StringComparison.Ordinal);
        Assert.Contains("\"key\": \"[REDACTED]\"", asked.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderKey, asked.Message, StringComparison.Ordinal);
        var audit = File.ReadAllText(AuditPath);
        Assert.DoesNotContain(ProviderKey, audit, StringComparison.Ordinal);
        Assert.Equal("[REDACTED]", (string?)AuditLines()[0]["arguments"]!["key"]);
    }

    [Theory]
    [InlineData("decline", "the user declined")]
    [InlineData("cancel", "the user cancelled the prompt")]
    public async Task A_declined_or_cancelled_approval_refuses_the_call_and_gives_its_quota_back(string action, string why)
    {
        var answers = new Queue<string>([action, "accept"]);
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: once an hour, rate_limit: 1/hour}
                  - {name: deletions need a human, action: require_approval}
            """, (_, _) => ValueTask.FromResult(new ElicitResult { Action = answers.Dequeue() }));

        var refused = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        AssertRefused(refused, $"Policy rule \"deletions need a human\" requires your approval for delete_api_key; {why}. Nothing was sent.");
        Assert.Empty(Portkey.Requests);

        Assert.NotEqual(true, (await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""")).IsError);
        Assert.Equal(["declined", "approved"], AuditLines().Select(l => (string?)l["decision"]));
    }

    [Fact]
    public async Task An_unanswered_approval_times_out_and_refuses()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Clock.Now);
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: once an hour, rate_limit: 1/hour}
                  - {name: deletions need a human, action: require_approval, approval_timeout: 10m}
            """, (_, _) =>
            {
                // The user answers yes only after the deadline has passed on the server's clock; the late yes must not send anything.
                clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
                return ValueTask.FromResult(new ElicitResult { Action = "accept" });
            }, clock: clock);

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        AssertRefused(result, "Policy rule \"deletions need a human\" requires your approval for delete_api_key; nobody answered within 10 min, so it timed out. Nothing was sent.");
        Assert.Empty(Portkey.Requests);
        var line = Assert.Single(AuditLines());
        Assert.Equal(("declined", "returned"), ((string?)line["decision"], (string?)line["quota"]));
    }

    [Fact]
    public async Task A_client_that_cannot_ask_the_user_gets_a_refusal_that_says_so_when_only_the_dialog_is_allowed()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: deletions need a human, action: require_approval}
            """, settings: new() { ["PORTKEY_MCP_APPROVAL"] = "elicitation" });

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        AssertRefused(result, "Policy rule \"deletions need a human\" requires your approval for delete_api_key, but this MCP client cannot ask for it " +
            "(it does not support elicitation) and PORTKEY_MCP_APPROVAL=elicitation rules out the local approval page. Nothing was sent.");
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task Approval_is_asked_only_when_its_conditions_hold()
    {
        var asked = 0;
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        var server = await StartAsync("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - name: raising limits needs a human
                    action: require_approval
                    conditions: [{path: args.credit_limit, op: gt, value: 100}]
            """, (_, _) =>
            {
                asked++;
                return ValueTask.FromResult(new ElicitResult { Action = "decline" });
            });

        Assert.NotEqual(true, (await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","credit_limit":50}""")).IsError);
        Assert.True((await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","credit_limit":500}""")).IsError);

        Assert.Equal(1, asked);
        Assert.Equal(1, Portkey.Count("PUT", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task An_unreachable_counter_store_refuses_rather_than_allows()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - {name: two per minute, rate_limit: 2/minute}
            """, state: "redis://127.0.0.1:1");

        var result = await server.CallAsync("create_api_key", Create);

        AssertRefused(result, "The policy's counters (redis://127.0.0.1:1) could not be read or updated, so the quota cannot be checked and the call was refused. Try again; the server log has the cause.");
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task The_audit_log_records_every_call_with_its_time_tool_decision_status_and_duration()
    {
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        await server.CallAsync("create_api_key", Create);
        var unknown = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(async () =>
            await server.Client.CallToolAsync("no_such_tool", new Dictionary<string, object?> { ["key"] = ProviderKey }, cancellationToken: Bounded.Token()));
        Assert.Equal(ModelContextProtocol.McpErrorCode.InvalidParams, unknown.ErrorCode);

        var lines = AuditLines();
        Assert.Equal(2, lines.Count);
        var create = lines[0];
        Assert.Equal("create_api_key", (string?)create["tool"]);
        Assert.Equal("allowed", (string?)create["decision"]);
        Assert.Equal(200, (int?)create["upstream_status"]);
        Assert.False((bool)create["is_error"]!);
        Assert.Equal(Clock.Now, DateTimeOffset.Parse((string)create["time"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(System.Text.Json.JsonValueKind.Number, create["duration_ms"]!.GetValueKind());
        Assert.Equal("ops", (string?)create["arguments"]!["name"]);
        Assert.DoesNotContain(Secret, File.ReadAllText(AuditPath), StringComparison.Ordinal);
        Assert.Equal("no_such_tool", (string?)lines[1]["tool"]);
        Assert.Equal("invalid", (string?)lines[1]["decision"]);
        // An unknown tool's arguments are recorded by name only: nothing says which of its values are secret.
        Assert.Equal("(not recorded)", (string?)lines[1]["arguments"]!["key"]);
        Assert.DoesNotContain(ProviderKey, File.ReadAllText(AuditPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regex_that_runs_past_its_50_ms_limit_on_agent_text_refuses_the_call()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: names
                    conditions: [{path: args.name, op: regex, value: "^(a|aa)+$"}]
            """);

        var result = await server.CallAsync("create_api_key", Create.Replace("\"ops\"", "\"" + new string('a', 60) + "!\"", StringComparison.Ordinal));

        AssertRefused(result, "A regex condition of the policy took too long on this call's arguments, so the call could not be checked and was refused.");
        Assert.Empty(Portkey.Requests);
        Assert.Equal("denied", (string?)Assert.Single(AuditLines())["decision"]);
    }

    [Fact]
    public async Task A_call_with_text_no_writer_accepts_still_leaves_its_audit_line()
    {
        var server = await StartAsync("""
            version: "1"
            hide: [rotate_api_key]
            tools:
              delete_api_key:
                rules:
                  - {name: no deletions, action: deny}
            """);

        var hidden = await server.Client.CallToolAsync("rotate_api_key", new Dictionary<string, object?> { ["id"] = LiveApiKey.Id, ["x"] = "\udfff" }, cancellationToken: Bounded.Token());
        var denied = await server.Client.CallToolAsync("delete_api_key", new Dictionary<string, object?> { ["id"] = LiveApiKey.Id, ["note"] = "\ud800" }, cancellationToken: Bounded.Token());

        Assert.True(hidden.IsError);
        Assert.True(denied.IsError);
        Assert.Equal(["denied", "invalid"], AuditLines().Select(l => (string?)l["decision"]));
    }

    [Fact]
    public async Task An_approval_names_its_channel_in_the_audit_line()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: ask, action: require_approval}
            """, (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept" }));

        await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        var line = Assert.Single(AuditLines());
        Assert.Equal(("approved", "elicitation"), ((string?)line["decision"], (string?)line["approval_channel"]));
    }
}
