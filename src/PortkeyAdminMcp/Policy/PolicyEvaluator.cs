using System.Globalization;
using System.Text.Json;

namespace PortkeyAdminMcp.Policy;

public enum VerdictKind
{
    /// <summary>Every rule passed; the call may go once its counters are reserved.</summary>
    Allow,

    /// <summary>A rule refused the call; nothing is reserved, nothing sent.</summary>
    Deny,

    /// <summary>Every rule passed, but a require_approval rule matched: the user must say yes first.</summary>
    NeedsApproval,
}

/// <summary>What one call adds to one counter, and the most that counter may hold afterwards.</summary>
public sealed record CounterCharge(PolicyRule Rule, string Key, CounterWindow Window, long Amount, long? Limit);

public sealed record PolicyVerdict(VerdictKind Kind, PolicyRule? Rule, string? Message, IReadOnlyList<CounterCharge> Charges)
{
    public static readonly PolicyVerdict Allowed = new(VerdictKind.Allow, null, null, []);

    /// <summary>The deciding rule's name, or (hidden) / (default deny) when no rule of the file's own decided.</summary>
    public string? RuleName { get; init; }

    public static PolicyVerdict Refused(PolicyRule rule, string message) => new(VerdictKind.Deny, rule, message, []) { RuleName = rule.Name };

    public static PolicyVerdict Refused(string label, string message) => new(VerdictKind.Deny, null, message, []) { RuleName = label };
}

/// <summary>
/// Intercept's evaluation order, as a pure function: hidden, then default deny for unlisted tools, then the tool's
/// rules and the wildcard rules in file order, the first refusal winning; counters are only charged when all pass.
/// </summary>
public static class PolicyEvaluator
{
    public const string HiddenRule = "(hidden)";
    public const string DefaultDenyRule = "(default deny)";

    /// <param name="counters">Current values of the counters <see cref="PolicySet.CountersReadBy"/> names; absent reads as 0.</param>
    public static PolicyVerdict Evaluate(PolicySet policy, string tool, JsonElement arguments, IReadOnlyDictionary<string, long>? counters = null)
    {
        if (policy.IsHidden(tool))
        {
            return PolicyVerdict.Refused(HiddenRule, $"Tool \"{tool}\" is hidden by policy");
        }

        if (policy.DefaultDeny && !policy.IsListed(tool))
        {
            return PolicyVerdict.Refused(DefaultDenyRule, $"Tool \"{tool}\" is not permitted by policy");
        }

        var rules = policy.RulesFor(tool);
        PolicyRule? approval = null;
        List<CounterCharge>? charges = null;
        foreach (var rule in rules)
        {
            switch (rule.Action)
            {
                case RuleAction.Deny:
                    return PolicyVerdict.Refused(rule, rule.DenyMessage);
                case RuleAction.Evaluate when !AllHold(rule, arguments, counters):
                    return PolicyVerdict.Refused(rule, rule.DenyMessage);
                case RuleAction.RequireApproval when approval is null && (rule.Conditions.Count == 0 || AllHold(rule, arguments, counters)):
                    approval = rule;
                    break;
                default:
                    break;
            }

            if (rule.Counter is { } counter)
            {
                if (Increment(counter, arguments) is not { } amount)
                {
                    return PolicyVerdict.Refused(rule,
                        $"Policy rule \"{rule.Name}\" counts {counter.IncrementFromPath}, but this call has no non-negative number there.");
                }

                (charges ??= []).Add(new CounterCharge(rule, counter.Key, counter.Window, amount, counter.Limit));
            }
        }

        return approval is null
            ? charges is null ? PolicyVerdict.Allowed : new PolicyVerdict(VerdictKind.Allow, null, null, charges)
            : new PolicyVerdict(VerdictKind.NeedsApproval, approval, null, (IReadOnlyList<CounterCharge>?)charges ?? []) { RuleName = approval.Name };
    }

    private static bool AllHold(PolicyRule rule, JsonElement arguments, IReadOnlyDictionary<string, long>? counters)
    {
        foreach (var condition in rule.Conditions)
        {
            if (condition.IsCounterLimit)
            {
                continue;
            }

            var holds = condition.CounterKey is { } key
                ? Holds(condition, counters is not null && counters.TryGetValue(key, out var value) ? value : 0)
                : Holds(condition, Resolve(arguments, condition.ArgumentPath));
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonElement? Resolve(JsonElement arguments, IReadOnlyList<string> path)
    {
        var current = arguments;
        foreach (var segment in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static long? Increment(PolicyCounter counter, JsonElement arguments)
    {
        if (counter.IncrementFrom is null)
        {
            return counter.Increment;
        }

        // A negative amount would hand quota back; a missing one cannot be counted. Both refuse rather than guess.
        return Resolve(arguments, counter.IncrementFrom) is { ValueKind: JsonValueKind.Number } value &&
               value.TryGetDouble(out var amount) && amount >= 0 && amount < long.MaxValue
            ? (long)Math.Ceiling(amount)
            : null;
    }

    /// <remarks>
    /// A regex that runs past its timeout on agent-supplied text throws <see cref="System.Text.RegularExpressions.RegexMatchTimeoutException"/>;
    /// the caller refuses the call, since "did not match" would let an approval rule pass unasked.
    /// </remarks>
    public static bool Holds(PolicyCondition condition, JsonElement? actual)
    {
        if (condition.Op == ConditionOp.Exists)
        {
            var present = actual is { ValueKind: not JsonValueKind.Null };
            return present == condition.Value.GetBoolean();
        }

        if (actual is not { } value)
        {
            return false;
        }

        return condition.Op switch
        {
            ConditionOp.Eq => Equal(value, condition.Value),
            ConditionOp.Neq => !Equal(value, condition.Value),
            ConditionOp.In => In(value, condition.Value),
            ConditionOp.NotIn => !In(value, condition.Value),
            ConditionOp.Lt or ConditionOp.Lte or ConditionOp.Gt or ConditionOp.Gte =>
                value.ValueKind == JsonValueKind.Number && Compare(condition.Op, value.GetDouble(), condition.Value.GetDouble()),
            ConditionOp.Regex => value.ValueKind == JsonValueKind.String && condition.Pattern!.IsMatch(value.GetString()!),
            ConditionOp.Contains => Contains(value, condition.Value),
            _ => false,
        };
    }

    private static bool Holds(PolicyCondition condition, long counter) => condition.Op switch
    {
        ConditionOp.Exists => condition.Value.GetBoolean(),
        ConditionOp.Eq => condition.Value.ValueKind == JsonValueKind.Number && condition.Value.GetDouble() == counter,
        ConditionOp.Neq => !(condition.Value.ValueKind == JsonValueKind.Number && condition.Value.GetDouble() == counter),
        ConditionOp.In => condition.Value.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.Number && item.GetDouble() == counter),
        ConditionOp.NotIn => !condition.Value.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.Number && item.GetDouble() == counter),
        ConditionOp.Lt or ConditionOp.Lte or ConditionOp.Gt or ConditionOp.Gte => Compare(condition.Op, counter, condition.Value.GetDouble()),
        _ => false,
    };

    private static bool Compare(ConditionOp op, double actual, double expected) => op switch
    {
        ConditionOp.Lt => actual < expected,
        ConditionOp.Lte => actual <= expected,
        ConditionOp.Gt => actual > expected,
        _ => actual >= expected,
    };

    /// <summary>Numbers by value, everything else by its text, as Intercept compares (true equals "true").</summary>
    private static bool Equal(JsonElement actual, JsonElement expected)
    {
        if (actual.ValueKind == JsonValueKind.Number && expected.ValueKind == JsonValueKind.Number)
        {
            return actual.GetDouble() == expected.GetDouble();
        }

        return string.Equals(Text(actual), Text(expected), StringComparison.Ordinal);
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetDouble().ToString(CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    private static bool In(JsonElement actual, JsonElement list)
    {
        foreach (var item in list.EnumerateArray())
        {
            if (Equal(actual, item))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(JsonElement actual, JsonElement expected)
    {
        if (actual.ValueKind == JsonValueKind.String)
        {
            return expected.ValueKind == JsonValueKind.String && actual.GetString()!.Contains(expected.GetString()!, StringComparison.Ordinal);
        }

        if (actual.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in actual.EnumerateArray())
            {
                if (Equal(item, expected))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
