using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Policy;

public enum RuleAction
{
    Evaluate,
    Deny,
    RequireApproval,
}

public enum ConditionOp
{
    Eq,
    Neq,
    In,
    NotIn,
    Lt,
    Lte,
    Gt,
    Gte,
    Regex,
    Contains,
    Exists,
}

public enum CounterWindow
{
    Minute,
    Hour,
    Day,
}

/// <summary>One <c>{path, op, value}</c> test. The value is kept as JSON so it compares like the arguments it meets.</summary>
public sealed class PolicyCondition
{
    public required string Path { get; init; }

    /// <summary>For <c>args.a.b</c>: ["a", "b"]. Empty for a state path.</summary>
    public IReadOnlyList<string> ArgumentPath { get; init; } = [];

    /// <summary>For <c>state.scope.counter</c>: "scope.counter".</summary>
    public string? CounterKey { get; init; }

    public required ConditionOp Op { get; init; }

    public required JsonElement Value { get; init; }

    public Regex? Pattern { get; init; }

    /// <summary>
    /// An lt/lte on the rule's own counter: enforced by the atomic reservation (value after this call within
    /// the limit), not by reading the counter first, so two racing calls cannot both slip under it.
    /// </summary>
    public bool IsCounterLimit { get; init; }
}

/// <summary>A rule's <c>state</c> block (or its <c>rate_limit</c> shorthand): what it counts and up to where.</summary>
public sealed class PolicyCounter
{
    /// <summary>"scope.counter": scope is the tool's name, or <c>_global</c> under <c>"*"</c>.</summary>
    public required string Key { get; init; }

    public required CounterWindow Window { get; init; }

    public long Increment { get; init; } = 1;

    /// <summary>When set, the increment is read from this argument path instead.</summary>
    public IReadOnlyList<string>? IncrementFrom { get; init; }

    public string? IncrementFromPath { get; init; }

    /// <summary>The highest value the counter may reach within a window; null counts without limiting.</summary>
    public long? Limit { get; init; }
}

public sealed class PolicyRule
{
    public required string Name { get; init; }

    /// <summary>Where the rule is in the file, e.g. <c>tools.create_api_key.rules[0]</c>.</summary>
    public required string Location { get; init; }

    public RuleAction Action { get; init; } = RuleAction.Evaluate;

    public IReadOnlyList<PolicyCondition> Conditions { get; init; } = [];

    /// <summary>The message a refused call gets: on_deny as written, else one naming the rule.</summary>
    public required string DenyMessage { get; init; }

    /// <summary>When a counter refuses: true uses <see cref="DenyMessage"/>, false a message naming the limit and when it resets.</summary>
    public bool HasOwnDenyMessage { get; init; }

    public PolicyCounter? Counter { get; init; }

    public TimeSpan ApprovalTimeout { get; init; } = PolicySet.DefaultApprovalTimeout;
}

/// <summary>A policy file, parsed and checked once at start-up.</summary>
public sealed class PolicySet
{
    public const string Wildcard = "*";
    public const string GlobalScope = "_global";
    public static readonly TimeSpan DefaultApprovalTimeout = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, PolicyRule[]> _applicable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _stateReads = new(StringComparer.Ordinal);
    private readonly string[] _wildcardStateReads;

    public PolicySet(
        string? source,
        bool defaultDeny,
        IReadOnlyCollection<string> hidden,
        IReadOnlyDictionary<string, IReadOnlyList<PolicyRule>> tools,
        IReadOnlyList<PolicyRule> wildcard)
    {
        Source = source;
        DefaultDeny = defaultDeny;
        HidesAll = hidden.Contains(Wildcard);
        Hidden = hidden.Where(h => h != Wildcard).ToHashSet(StringComparer.Ordinal);
        Tools = tools;
        WildcardRules = wildcard;
        CounterWindows = tools.Values.Append(wildcard)
            .SelectMany(rules => rules)
            .Where(rule => rule.Counter is not null)
            .ToDictionary(rule => rule.Counter!.Key, rule => rule.Counter!.Window, StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            PolicyRule[] applicable = [.. tool.Value, .. wildcard];
            _applicable[tool.Key] = applicable;
            _stateReads[tool.Key] = CountersRead(applicable);
        }

        _wildcardStateReads = CountersRead(wildcard);
    }

    private static string[] CountersRead(IEnumerable<PolicyRule> rules) => [.. rules
        .SelectMany(rule => rule.Conditions)
        .Where(condition => condition.CounterKey is not null && !condition.IsCounterLimit)
        .Select(condition => condition.CounterKey!)
        .Distinct(StringComparer.Ordinal)];

    /// <summary>No file: everything allowed, nothing counted.</summary>
    public static PolicySet AllowAll { get; } = new(null, false, [], new Dictionary<string, IReadOnlyList<PolicyRule>>(), []);

    public string? Source { get; }

    public bool DefaultDeny { get; }

    public bool HidesAll { get; }

    public IReadOnlySet<string> Hidden { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<PolicyRule>> Tools { get; }

    public IReadOnlyList<PolicyRule> WildcardRules { get; }

    /// <summary>Every counter any rule keeps, and its window; conditions read counters through this.</summary>
    public IReadOnlyDictionary<string, CounterWindow> CounterWindows { get; }

    public bool IsEmpty => Source is null;

    /// <summary>Whether any rule can ask a human (require_approval): only then is await_approval offered.</summary>
    public bool AsksForApproval => Tools.Values.Append(WildcardRules).SelectMany(rules => rules).Any(rule => rule.Action == RuleAction.RequireApproval);

    /// <summary>Whether a rule that applies to <paramref name="tool"/> can ask a human.</summary>
    public bool MayAskApprovalFor(string tool) => RulesFor(tool).Any(rule => rule.Action == RuleAction.RequireApproval);

    public bool IsHidden(string tool) => HidesAll || Hidden.Contains(tool);

    public bool IsListed(string tool) => Tools.ContainsKey(tool);

    /// <summary>The tool's own rules, then the wildcard rules, in file order.</summary>
    public IReadOnlyList<PolicyRule> RulesFor(string tool) =>
        _applicable.TryGetValue(tool, out var rules) ? rules : WildcardRules;

    /// <summary>The counters the tool's conditions read before the call (limits are checked by the reservation instead).</summary>
    public IReadOnlyList<string> CountersReadBy(string tool) =>
        _stateReads.TryGetValue(tool, out var keys) ? keys : _wildcardStateReads;
}
