using System.Text.Json;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>
/// A condition that cannot be evaluated — the value is null, missing, or of a type its operator cannot compare — never
/// yields the more permissive outcome: an evaluate rule refuses, and a require_approval rule asks.
/// </summary>
public sealed class FailClosedConditionTests : PolicyServerTest
{
    private static JsonElement Args(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static PolicySet Rule(string action, string path, string op, string value) => PolicyLoaderTests.Valid($$"""
        version: "1"
        tools:
          update_api_key:
            rules:
              - name: the rule
                action: {{action}}
                conditions:
                  - {path: {{path}}, op: {{op}}, value: {{value}}}
        """);

    public static TheoryData<string, string, string, string> Unjudgeable() => new()
    {
        // Numeric operators on null, a missing value, text, a list.
        { "args.credit_limit", "gt", "1000", """{"credit_limit":null}""" },
        { "args.credit_limit", "gt", "1000", """{}""" },
        { "args.credit_limit", "lte", "1000", """{"credit_limit":"5000"}""" },
        { "args.credit_limit", "gte", "1000", """{"credit_limit":[5000]}""" },
        // A regex on a number, an object or null.
        { "args.name", "regex", "\"^prod-\"", """{"name":42}""" },
        { "args.name", "regex", "\"^prod-\"", """{"name":{"a":1}}""" },
        { "args.name", "regex", "\"^prod-\"", """{"name":null}""" },
        // List operators on a list or an object, or nothing.
        { "args.scopes", "in", "[\"logs.view\"]", """{"scopes":["logs.view"]}""" },
        { "args.default_metadata", "not_in", "[\"x\"]", """{"default_metadata":{"team":"x"}}""" },
        { "args.name", "not_in", "[\"root\"]", """{}""" },
        // Equality on a value that is not there; contains on a number; a path through a non-object.
        { "args.name", "neq", "root", """{"name":null}""" },
        { "args.credit_limit", "contains", "1", """{"credit_limit":100}""" },
        { "args.default_metadata.team", "eq", "ml", """{"default_metadata":"ml"}""" },
        // exists on null: given (it clears), so neither present nor absent.
        { "args.credit_limit", "exists", "true", """{"credit_limit":null}""" },
        { "args.credit_limit", "exists", "false", """{"credit_limit":null}""" },
    };

    [Theory]
    [MemberData(nameof(Unjudgeable))]
    public void An_evaluate_rule_refuses_what_it_cannot_judge(string path, string op, string value, string arguments)
    {
        var verdict = PolicyEvaluator.Evaluate(Rule("evaluate", path, op, value), "update_api_key", Args(arguments));

        Assert.Equal(VerdictKind.Deny, verdict.Kind);
    }

    [Theory]
    [MemberData(nameof(Unjudgeable))]
    public void A_require_approval_rule_asks_when_it_cannot_judge(string path, string op, string value, string arguments)
    {
        var verdict = PolicyEvaluator.Evaluate(Rule("require_approval", path, op, value), "update_api_key", Args(arguments));

        Assert.Equal(VerdictKind.NeedsApproval, verdict.Kind);
    }

    [Theory]
    [InlineData("""{"credit_limit":500}""", VerdictKind.Allow)]
    [InlineData("""{"credit_limit":5000}""", VerdictKind.NeedsApproval)]
    public void A_require_approval_rule_that_can_judge_asks_only_when_it_holds(string arguments, VerdictKind expected)
    {
        var verdict = PolicyEvaluator.Evaluate(Rule("require_approval", "args.credit_limit", "gt", "1000"), "update_api_key", Args(arguments));

        Assert.Equal(expected, verdict.Kind);
    }

    [Fact]
    public void One_false_condition_settles_a_rule_even_beside_one_that_cannot_be_judged()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - name: big limits on prod keys
                    action: require_approval
                    conditions:
                      - {path: args.name, op: regex, value: "^prod-"}
                      - {path: args.credit_limit, op: gt, value: 1000}
            """);

        Assert.Equal(VerdictKind.Allow, PolicyEvaluator.Evaluate(policy, "update_api_key", Args("""{"name":"dev-1","credit_limit":null}""")).Kind);
        Assert.Equal(VerdictKind.NeedsApproval, PolicyEvaluator.Evaluate(policy, "update_api_key", Args("""{"name":"prod-1","credit_limit":null}""")).Kind);
    }

    [Fact]
    public async Task Removing_a_limit_with_null_is_not_a_way_round_an_approval_rule_on_the_limit()
    {
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        var asked = new List<string>();
        var server = await StartAsync("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - name: big budgets need a human
                    action: require_approval
                    conditions: [{path: args.credit_limit, op: gt, value: 1000}]
            """, (request, _) =>
        {
            asked.Add(request!.Message);
            return ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = "decline" });
        });

        var result = await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","credit_limit":null}""");

        Assert.True(result.IsError);
        Assert.StartsWith("[POLICY DENIED] Policy rule \"big budgets need a human\" requires your approval for update_api_key; the user declined.", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Single(asked);
        Assert.Equal(0, Portkey.Count("PUT", $"api-keys/{LiveApiKey.Id}"));
    }
}
