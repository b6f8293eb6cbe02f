using System.Text.Json;
using PortkeyAdminMcp.Policy;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>Intercept's evaluation order and operators, as a pure function of policy, arguments and counters.</summary>
public sealed class PolicyEvaluatorTests
{
    private static JsonElement Args(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static PolicySet OneCondition(string path, string op, string value) => PolicyLoaderTests.Valid($$"""
        version: "1"
        tools:
          create_api_key:
            rules:
              - name: the rule
                conditions:
                  - path: {{path}}
                    op: {{op}}
                    value: {{value}}
                on_deny: "refused by the rule"
        """);

    [Theory]
    [InlineData("args.name", "eq", "ops-key", """{"name":"ops-key"}""", true)]
    [InlineData("args.name", "eq", "ops-key", """{"name":"dev-key"}""", false)]
    [InlineData("args.credit_limit", "eq", "100", """{"credit_limit":100.0}""", true)]
    [InlineData("args.credit_limit", "eq", "\"100\"", """{"credit_limit":100}""", true)]
    [InlineData("args.name", "neq", "ops-key", """{"name":"dev-key"}""", true)]
    [InlineData("args.name", "neq", "ops-key", """{"name":"ops-key"}""", false)]
    [InlineData("args.type", "in", "[workspace, organisation]", """{"type":"workspace"}""", true)]
    [InlineData("args.type", "in", "[organisation]", """{"type":"workspace"}""", false)]
    [InlineData("args.type", "not_in", "[organisation]", """{"type":"workspace"}""", true)]
    [InlineData("args.type", "not_in", "[workspace]", """{"type":"workspace"}""", false)]
    [InlineData("args.credit_limit", "lt", "100", """{"credit_limit":99}""", true)]
    [InlineData("args.credit_limit", "lt", "100", """{"credit_limit":100}""", false)]
    [InlineData("args.credit_limit", "lte", "100", """{"credit_limit":100}""", true)]
    [InlineData("args.credit_limit", "lte", "100", """{"credit_limit":100.5}""", false)]
    [InlineData("args.credit_limit", "gt", "100", """{"credit_limit":101}""", true)]
    [InlineData("args.credit_limit", "gt", "100", """{"credit_limit":100}""", false)]
    [InlineData("args.credit_limit", "gte", "100", """{"credit_limit":100}""", true)]
    [InlineData("args.credit_limit", "gte", "100", """{"credit_limit":"1000"}""", false)]
    [InlineData("args.name", "regex", "\"^svc-[a-z]+$\"", """{"name":"svc-billing"}""", true)]
    [InlineData("args.name", "regex", "\"^svc-[a-z]+$\"", """{"name":"svc-Billing"}""", false)]
    [InlineData("args.name", "regex", "\"^svc-\"", """{"name":42}""", false)]
    [InlineData("args.name", "contains", "prod", """{"name":"key-prod-1"}""", true)]
    [InlineData("args.name", "contains", "prod", """{"name":"key-dev-1"}""", false)]
    [InlineData("args.scopes", "contains", "logs.view", """{"scopes":["logs.view","completions.write"]}""", true)]
    [InlineData("args.scopes", "contains", "logs.write", """{"scopes":["logs.view"]}""", false)]
    [InlineData("args.expires_at", "exists", "true", """{"expires_at":"2027-01-01T00:00:00Z"}""", true)]
    [InlineData("args.expires_at", "exists", "true", """{}""", false)]
    [InlineData("args.expires_at", "exists", "true", """{"expires_at":null}""", false)]
    [InlineData("args.expires_at", "exists", "false", """{}""", true)]
    [InlineData("args.default_metadata.team", "lte", "50", """{"default_metadata":{"team":40}}""", true)]
    [InlineData("args.default_metadata.team", "lte", "50", """{"default_metadata":{"team":60}}""", false)]
    [InlineData("args.default_metadata.team", "lte", "50", """{"default_metadata":7}""", false)]
    [InlineData("args.credit_limit", "lt", "100", """{}""", false)]
    [InlineData("args.name", "neq", "ops-key", """{}""", false)]
    public void Every_operator(string path, string op, string value, string arguments, bool allowed)
    {
        var verdict = PolicyEvaluator.Evaluate(OneCondition(path, op, value), "create_api_key", Args(arguments));
        Assert.Equal(allowed ? VerdictKind.Allow : VerdictKind.Deny, verdict.Kind);
        if (!allowed)
        {
            Assert.Equal("refused by the rule", verdict.Message);
            Assert.Equal("the rule", verdict.RuleName);
        }
    }

    [Fact]
    public void The_tools_own_rules_come_before_the_wildcard_rules_and_the_first_refusal_speaks()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              "*":
                rules:
                  - name: wildcard
                    action: deny
                    on_deny: "wildcard said no"
              create_api_key:
                rules:
                  - name: own
                    conditions: [{path: args.name, op: eq, value: allowed}]
                    on_deny: "own rule said no"
            """);

        Assert.Equal("own rule said no", PolicyEvaluator.Evaluate(policy, "create_api_key", Args("""{"name":"other"}""")).Message);
        Assert.Equal("wildcard said no", PolicyEvaluator.Evaluate(policy, "create_api_key", Args("""{"name":"allowed"}""")).Message);
        Assert.Equal("wildcard said no", PolicyEvaluator.Evaluate(policy, "get_api_key", Args("{}")).Message);
    }

    [Fact]
    public void Default_deny_refuses_unlisted_tools_before_any_wildcard_rule_and_lets_listed_ones_through()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            default: deny
            tools:
              get_api_key:
                rules: []
              "*":
                rules:
                  - name: everything is counted
                    rate_limit: 100/day
            """);

        var unlisted = PolicyEvaluator.Evaluate(policy, "delete_api_key", Args("{}"));
        Assert.Equal(VerdictKind.Deny, unlisted.Kind);
        Assert.Equal("Tool \"delete_api_key\" is not permitted by policy", unlisted.Message);
        Assert.Equal(PolicyEvaluator.DefaultDenyRule, unlisted.RuleName);

        var listed = PolicyEvaluator.Evaluate(policy, "get_api_key", Args("{}"));
        Assert.Equal(VerdictKind.Allow, listed.Kind);
        Assert.Equal("_global._rate_day", Assert.Single(listed.Charges).Key);
    }

    [Fact]
    public void A_hidden_tool_is_refused_even_if_listed()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            hide: ["*"]
            tools:
              get_api_key: {rules: []}
            """);

        var verdict = PolicyEvaluator.Evaluate(policy, "get_api_key", Args("{}"));
        Assert.Equal("Tool \"get_api_key\" is hidden by policy", verdict.Message);
        Assert.Equal(PolicyEvaluator.HiddenRule, verdict.RuleName);
    }

    [Fact]
    public void A_deny_rule_without_on_deny_gets_a_message_naming_it()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: no deletions, action: deny}
            """);

        Assert.Equal("Refused by policy rule \"no deletions\".", PolicyEvaluator.Evaluate(policy, "delete_api_key", Args("{}")).Message);
    }

    [Fact]
    public void Counters_are_charged_only_when_every_rule_passes()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: per minute
                    rate_limit: 2/minute
                  - name: credit per day
                    conditions: [{path: state.create_api_key.credit, op: lte, value: 500}]
                    state: {counter: credit, window: day, increment_from: args.credit_limit}
                  - name: no test keys
                    conditions: [{path: args.name, op: neq, value: test}]
            """);

        var allowed = PolicyEvaluator.Evaluate(policy, "create_api_key", Args("""{"name":"ops","credit_limit":120.5}"""));
        Assert.Equal(VerdictKind.Allow, allowed.Kind);
        Assert.Equal(
            [("create_api_key._rate_minute", 1L, (long?)2L, CounterWindow.Minute), ("create_api_key.credit", 121L, 500L, CounterWindow.Day)],
            allowed.Charges.Select(c => (c.Key, c.Amount, c.Limit, c.Window)));

        var refused = PolicyEvaluator.Evaluate(policy, "create_api_key", Args("""{"name":"test","credit_limit":1}"""));
        Assert.Equal(VerdictKind.Deny, refused.Kind);
        Assert.Empty(refused.Charges);
    }

    [Theory]
    [InlineData("""{"credit_limit":-50}""")]
    [InlineData("""{"credit_limit":"50"}""")]
    [InlineData("""{}""")]
    public void An_increment_that_is_not_a_non_negative_number_refuses_the_call(string arguments)
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: credit per day
                    conditions: [{path: state.create_api_key.credit, op: lte, value: 500}]
                    state: {counter: credit, window: day, increment_from: args.credit_limit}
            """);

        var verdict = PolicyEvaluator.Evaluate(policy, "create_api_key", Args(arguments));
        Assert.Equal(VerdictKind.Deny, verdict.Kind);
        Assert.Equal("Policy rule \"credit per day\" counts args.credit_limit, but this call has no non-negative number there.", verdict.Message);
    }

    [Fact]
    public void Conditions_on_counters_other_than_the_rules_own_limit_read_the_current_value()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: count creates
                    conditions: [{path: state.create_api_key.made, op: lte, value: 100}]
                    state: {counter: made, window: day}
              delete_api_key:
                rules:
                  - name: delete only after a create today
                    conditions: [{path: state.create_api_key.made, op: gte, value: 1}]
            """);

        Assert.Equal(["create_api_key.made"], policy.CountersReadBy("delete_api_key"));
        Assert.Empty(policy.CountersReadBy("create_api_key"));
        Assert.Equal(VerdictKind.Deny, PolicyEvaluator.Evaluate(policy, "delete_api_key", Args("{}")).Kind);
        Assert.Equal(VerdictKind.Allow,
            PolicyEvaluator.Evaluate(policy, "delete_api_key", Args("{}"), new Dictionary<string, long> { ["create_api_key.made"] = 1 }).Kind);
    }

    [Fact]
    public void Require_approval_applies_when_its_conditions_hold_and_a_later_deny_still_wins()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - name: raising limits needs a human
                    action: require_approval
                    conditions: [{path: args.credit_limit, op: gt, value: 100}]
                  - name: never for the root key
                    conditions: [{path: args.name, op: neq, value: root}]
                    on_deny: "not the root key"
            """);

        var small = PolicyEvaluator.Evaluate(policy, "update_api_key", Args("""{"credit_limit":50,"name":"ops"}"""));
        Assert.Equal(VerdictKind.Allow, small.Kind);
        var big = PolicyEvaluator.Evaluate(policy, "update_api_key", Args("""{"credit_limit":500,"name":"ops"}"""));
        Assert.Equal(VerdictKind.NeedsApproval, big.Kind);
        Assert.Equal("raising limits needs a human", big.RuleName);
        var root = PolicyEvaluator.Evaluate(policy, "update_api_key", Args("""{"credit_limit":500,"name":"root"}"""));
        Assert.Equal(VerdictKind.Deny, root.Kind);
        Assert.Equal("not the root key", root.Message);
    }

    [Fact]
    public void No_policy_allows_everything_and_counts_nothing()
    {
        var verdict = PolicyEvaluator.Evaluate(PolicySet.AllowAll, "delete_api_key", Args("{}"));
        Assert.Equal(VerdictKind.Allow, verdict.Kind);
        Assert.Empty(verdict.Charges);
    }
}
