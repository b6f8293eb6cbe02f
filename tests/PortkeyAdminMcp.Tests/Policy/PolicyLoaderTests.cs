using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Policy;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>A policy file is read in Intercept's v1 format and checked whole: every problem, with line and rule path.</summary>
public sealed class PolicyLoaderTests
{
    public static (PolicySet? Policy, IReadOnlyList<PolicyProblem> Problems) Parse(string yaml) =>
        PolicyLoader.Parse(yaml, "policy.yaml", Support.Catalog.Tools.ArgumentNames());

    public static PolicySet Valid(string yaml)
    {
        var (policy, problems) = Parse(yaml);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return policy!;
    }

    private static List<string> Problems(string yaml)
    {
        var (policy, problems) = Parse(yaml);
        Assert.Null(policy);
        return [.. problems.Select(p => p.ToString())];
    }

    /// <summary>Every policy the README shows is one this server loads: a user copies them as they are.</summary>
    [Fact]
    public void Every_policy_example_in_the_readme_loads()
    {
        var readme = File.ReadAllText(Path.Combine(Support.Repository.Root, "README.md"));
        var examples = System.Text.RegularExpressions.Regex.Matches(readme, "```yaml\n(version: \"1\"\n.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).ToList();

        Assert.True(examples.Count >= 2, $"found {examples.Count} policy examples");
        Assert.All(examples, example => Valid(example));
        Assert.Contains(examples, example => example.Contains("update_integration_workspaces:", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_the_shape_of_Intercepts_own_sample_adapted_to_this_servers_tools()
    {
        var policy = Valid("""
            version: "1"
            description: "Portkey admin policy"
            hide: [delete_virtual_key]
            tools:
              create_api_key:
                rules:
                  - name: "hourly key limit"
                    rate_limit: 5/hour
                    on_deny: "Hourly limit of 5 new keys reached"
              delete_api_key:
                rules:
                  - name: "block key deletion"
                    action: "deny"
                    on_deny: "Key deletion is not permitted via AI agents"
              "*":
                rules:
                  - name: "global rate limit"
                    rate_limit: 60/minute
            """);

        Assert.False(policy.DefaultDeny);
        Assert.True(policy.IsHidden("delete_virtual_key"));
        Assert.False(policy.IsHidden("delete_api_key"));
        var create = policy.RulesFor("create_api_key");
        Assert.Equal(["hourly key limit", "global rate limit"], create.Select(r => r.Name));
        Assert.Equal("create_api_key._rate_hour", create[0].Counter!.Key);
        Assert.Equal(5, create[0].Counter!.Limit);
        Assert.Equal(CounterWindow.Hour, create[0].Counter!.Window);
        Assert.Equal("Hourly limit of 5 new keys reached", create[0].DenyMessage);
        Assert.Equal("_global._rate_minute", create[1].Counter!.Key);
        Assert.Equal("Rate limit of 60 per minute reached. Try again later.", create[1].DenyMessage);
        Assert.Equal(["global rate limit"], policy.RulesFor("get_api_key").Select(r => r.Name));
    }

    [Fact]
    public void The_limit_of_a_stateful_rule_comes_from_its_lt_or_lte_condition_on_its_own_counter()
    {
        var policy = Valid("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: daily credit
                    conditions:
                      - {path: state.create_api_key.credit, op: lt, value: 1000}
                    state: {counter: credit, window: day, increment_from: args.credit_limit}
                  - name: keys per hour
                    conditions:
                      - {path: state.create_api_key.made, op: lte, value: 3}
                    state: {counter: made, window: hour, increment: 2}
            """);

        var rules = policy.RulesFor("create_api_key");
        Assert.Equal(999, rules[0].Counter!.Limit);
        Assert.Equal(["credit_limit"], rules[0].Counter!.IncrementFrom!);
        Assert.Equal(3, rules[1].Counter!.Limit);
        Assert.Equal(2, rules[1].Counter!.Increment);
        Assert.All(rules.SelectMany(r => r.Conditions), c => Assert.True(c.IsCounterLimit));
    }

    [Fact]
    public void Require_approval_may_have_conditions_and_its_own_timeout()
    {
        var policy = Valid("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - name: big limits need a human
                    action: require_approval
                    approval_timeout: 90s
                    conditions:
                      - {path: args.credit_limit, op: gt, value: 100}
              delete_api_key:
                rules:
                  - name: deletions need a human
                    action: require_approval
            """);

        Assert.Equal(RuleAction.RequireApproval, policy.RulesFor("update_api_key")[0].Action);
        Assert.Equal(TimeSpan.FromSeconds(90), policy.RulesFor("update_api_key")[0].ApprovalTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.RulesFor("delete_api_key")[0].ApprovalTimeout);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_at_once_with_its_line_and_rule_path()
    {
        var problems = Problems("""
            version: "2"
            default: maybe
            hide: [delete_api_kye, get_api_key, get_api_key]
            tools:
              create_api_kye:
                rules: []
              create_api_key:
                rules:
                  - name: weekly
                    rate_limit: 5/week
                  - name: bad ops
                    conditions:
                      - {path: args.credit_limit, op: equals, value: 3}
                      - {path: args.type, op: in, value: workspace}
                      - {path: args.credit_limit, op: gt, value: lots}
                      - {path: args.name, op: regex, value: "(["}
                      - {path: args.name, op: regex, value: 5}
                      - {path: args.name, op: exists, value: "yes"}
                      - {path: args.nme, op: eq, value: x}
                      - {path: name, op: eq, value: x}
                      - {path: state.create_api_key.nothing, op: lt, value: 3}
                    on_denny: nope
                  - action: deny
                    conditions:
                      - {path: args.name, op: exists, value: true}
                  - name: shorthand and deny
                    rate_limit: 5/hour
                    action: deny
                  - name: shorthand and conditions
                    rate_limit: 0/hour
                    conditions:
                      - {path: args.name, op: exists, value: true}
                  - name: nothing to evaluate
                  - name: first per minute
                    rate_limit: 2/minute
                  - name: second per minute
                    rate_limit: 3/minute
                  - name: approve later
                    action: deny
                    approval_timeout: 5m
                  - name: odd action
                    action: allow
                  - name: bad state
                    conditions:
                      - {path: state.create_api_key.spend, op: lt, value: 3}
                    state: {counter: spend, window: fortnight, increment_from: credit_limit, increment: -1}
            """);

        Assert.Equal(
        [
            "line 1: version: must be \"1\", got \"2\"",
            "line 2: default: must be \"allow\" or \"deny\", got \"maybe\"",
            "line 3: hide[0]: this server has no tool named \"delete_api_kye\"; did you mean \"delete_api_key\"?",
            "line 3: hide: duplicate entry \"get_api_key\"",
            "line 5: tools.create_api_kye: this server has no tool named \"create_api_kye\"; did you mean \"create_api_key\"?",
            "line 10: tools.create_api_key.rules[0].rate_limit: window must be \"minute\", \"hour\", or \"day\", got \"week\"",
            "line 13: tools.create_api_key.rules[1].conditions[0].op: unknown operator \"equals\" (known: eq, neq, in, not_in, lt, lte, gt, gte, regex, contains, exists)",
            "line 14: tools.create_api_key.rules[1].conditions[1]: operator \"in\" requires a list value",
            "line 15: tools.create_api_key.rules[1].conditions[2]: operator \"gt\" requires a numeric value",
            "line 16: tools.create_api_key.rules[1].conditions[3]: invalid regex \"([\": Invalid pattern '([' at offset 2. Unterminated [] set.",
            "line 17: tools.create_api_key.rules[1].conditions[4]: regex value must be a string",
            "line 18: tools.create_api_key.rules[1].conditions[5]: operator \"exists\" requires a boolean value",
            "line 19: tools.create_api_key.rules[1].conditions[6].path: create_api_key has no argument \"nme\"; did you mean \"name\"?",
            "line 20: tools.create_api_key.rules[1].conditions[7].path: must start with \"args.\" or be \"state.<tool>.<counter>\", got \"name\"",
            "line 21: tools.create_api_key.rules[1].conditions[8]: condition references state.create_api_key.nothing but no rule defines that counter in a state block",
            "line 22: tools.create_api_key.rules[1]: unknown key \"on_denny\"; did you mean \"on_deny\"?",
            "line 23: tools.create_api_key.rules[2]: rule must have a name",
            "line 25: tools.create_api_key.rules[2]: deny rules must not have conditions",
            "line 27: tools.create_api_key.rules[3]: rate_limit cannot be used with action \"deny\"",
            "line 30: tools.create_api_key.rules[4]: rate_limit cannot be combined with conditions or state; use separate rules or the full syntax",
            "line 30: tools.create_api_key.rules[4].rate_limit: count must be a positive integer, got \"0\"",
            "line 33: tools.create_api_key.rules[5]: evaluate rules must have at least one condition",
            "line 36: tools.create_api_key.rules[7]: duplicate state counter \"_rate_minute\" (also used by rules[6])",
            "line 40: tools.create_api_key.rules[8].approval_timeout: only applies to action \"require_approval\"",
            "line 42: tools.create_api_key.rules[9].action: must be \"evaluate\", \"deny\" or \"require_approval\", got \"allow\"",
            "line 46: tools.create_api_key.rules[10].state.window: must be \"minute\", \"hour\", or \"day\", got \"fortnight\"",
            "line 46: tools.create_api_key.rules[10].state.increment: must be a positive integer up to 1000000000000000, got \"-1\"",
            "line 46: tools.create_api_key.rules[10].state.increment_from: must start with \"args.\", got \"credit_limit\"",
        ], problems);
    }

    [Theory]
    [InlineData("version: \"1\"\ntools:\n  create_api_key: [\n", "line 4: yaml: not valid YAML")]
    [InlineData("- just\n- a list\n", "line 1: policy: must be one YAML mapping with version and tools")]
    [InlineData("version: \"1\"\n", "tools: is required")]
    [InlineData("version: \"1\"\ntools: {}\nrules: []\n", "line 3: policy: unknown key \"rules\"")]
    [InlineData("version: \"1\"\ntools:\n  \"*\":\n    rules:\n      - {name: x, conditions: [{path: args.no_such_arg, op: exists, value: true}]}\n",
        "no tool of this server has no argument \"no_such_arg\"")]
    public void Malformed_files_are_refused_with_a_reason(string yaml, string expected)
    {
        var problems = Problems(yaml);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_typed_scalar_compares_as_its_yaml_type_and_a_quoted_one_as_text()
    {
        var policy = Valid("""
            version: 1
            tools:
              list_api_keys:
                rules:
                  - name: typed
                    conditions:
                      - {path: args.page_size, op: eq, value: 10}
                      - {path: args.workspace_id, op: eq, value: "10"}
                      - {path: args.workspace_id, op: in, value: [a, 2.5, true, ~]}
            """);

        var values = policy.RulesFor("list_api_keys")[0].Conditions.Select(c => c.Value.GetRawText());
        Assert.Equal(["10", "\"10\"", "[\"a\",2.5,true,null]"], values);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("45", 45)]
    public void Approval_timeouts_are_durations(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PolicyLoader.ParseDuration(text));

    [Theory]
    [InlineData("0s")]
    [InlineData("2d")]
    [InlineData("ten minutes")]
    [InlineData("-5m")]
    public void Approval_timeouts_that_are_not_a_positive_duration_up_to_a_day_are_refused(string text) =>
        Assert.Null(PolicyLoader.ParseDuration(text));

    [Theory]
    [InlineData("9999999999999m")]
    [InlineData("99999999999999999999d")]
    [InlineData("86401s")]
    [InlineData("1441m")]
    [InlineData("86400001ms")]
    public void Durations_too_long_to_allow_or_to_represent_are_refused_not_crashed_on(string text) =>
        Assert.Null(PolicyLoader.ParseDuration(text));

    [Theory]
    [InlineData(".5", "0.5")]
    [InlineData("0500", "500")]
    [InlineData("5.", "5")]
    [InlineData("+12", "12")]
    [InlineData("1e3", "1000")]
    [InlineData("0o17", "15")]
    [InlineData("0x1F", "31")]
    [InlineData("-.25", "-0.25")]
    [InlineData(".inf", "\".inf\"")]
    [InlineData("1e400", "\"1e400\"")]
    public void Numbers_yaml_allows_become_json_numbers_and_the_rest_text(string yaml, string json)
    {
        var policy = Valid($$"""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - {name: r, conditions: [{path: args.name, op: eq, value: {{yaml}}}]}
            """);

        Assert.Equal(json, policy.RulesFor("create_api_key")[0].Conditions[0].Value.GetRawText());
    }

    [Fact]
    public void Deep_nesting_is_one_problem_found_before_any_tree_is_built()
    {
        var problems = Problems("version: \"1\"\ntools: " + new string('[', 200_000));

        Assert.Equal("line 2: yaml: is nested more than 32 levels deep", Assert.Single(problems));
    }

    [Fact]
    public void Aliases_that_expand_exponentially_are_one_problem()
    {
        var levels = new List<string> { "&a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 12; i++)
        {
            levels.Add($"&a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var problems = Problems("version: \"1\"\ntools:\n  create_api_key:\n    rules:\n      - {name: r, conditions: [{path: args.name, op: in, value: [" +
                                string.Join(", ", levels) + "]}]}\n");

        Assert.Equal(
            "line 5: tools.create_api_key.rules[0].conditions[0]: value is too large: more than 1000 YAML nodes once its aliases are expanded, or nested more than 32 levels",
            Assert.Single(problems));
    }

    [Fact]
    public void A_file_of_more_than_a_mebibyte_or_a_device_is_refused_unread()
    {
        var (policy, problems) = PolicyLoader.LoadFile("/dev/zero", new Dictionary<string, IReadOnlySet<string>>());

        Assert.Null(policy);
        Assert.Equal("file: is larger than 1024 KiB; a policy file is a page of YAML", Assert.Single(problems).ToString());
    }

    [Fact]
    public void Counter_limits_and_increments_beyond_any_real_quota_are_refused()
    {
        var problems = Problems("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - name: huge limit
                    conditions: [{path: state.create_api_key.spend, op: lte, value: 1e300}]
                    state: {counter: spend, window: day}
                  - name: huge increment
                    conditions: [{path: state.create_api_key.made, op: lte, value: 10}]
                    state: {counter: made, window: day, increment: 99999999999999999}
            """);

        Assert.Equal(
        [
            "line 5: tools.create_api_key.rules[0]: the limit on state.create_api_key.spend must be from 0 to 1000000000000000, got 1E+300",
            "line 10: tools.create_api_key.rules[1].state.increment: must be a positive integer up to 1000000000000000, got \"99999999999999999\"",
        ], problems);
    }
}
