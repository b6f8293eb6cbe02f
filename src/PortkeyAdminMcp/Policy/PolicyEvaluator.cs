using System.Globalization;
using System.Text.Json;

namespace PortkeyAdminMcp.Policy;

/// <summary>Three-valued: a condition on a missing, null or ill-typed value is neither true nor false.</summary>
public enum Truth
{
    False,
    True,
    Unknown,
}

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
                // A condition that cannot be judged never yields the more permissive outcome: an evaluate rule then
                // refuses, and a require_approval rule asks.
                case RuleAction.Evaluate when AllHold(rule, arguments, counters) != Truth.True:
                    return PolicyVerdict.Refused(rule, rule.DenyMessage);
                case RuleAction.RequireApproval when approval is null && AllHold(rule, arguments, counters) != Truth.False:
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

    /// <summary>All conditions of the rule, ANDed in three-valued logic: false beats unknown beats true.</summary>
    private static Truth AllHold(PolicyRule rule, JsonElement arguments, IReadOnlyDictionary<string, long>? counters)
    {
        var result = Truth.True;
        foreach (var condition in rule.Conditions)
        {
            if (condition.IsCounterLimit)
            {
                continue;
            }

            var holds = condition.CounterKey is { } key
                ? Holds(condition, counters is not null && counters.TryGetValue(key, out var value) ? value : 0) ? Truth.True : Truth.False
                : Judge(condition, Resolve(arguments, condition.ArgumentPath));
            if (holds == Truth.False)
            {
                return Truth.False;
            }

            if (holds == Truth.Unknown)
            {
                result = Truth.Unknown;
            }
        }

        return result;
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
               value.TryGetDouble(out var amount) && amount >= 0 && amount <= PolicyLoader.MaxCount
            ? (long)Math.Ceiling(amount)
            : null;
    }

    /// <summary>Whether the condition holds for this argument value, or <see cref="Truth.Unknown"/> when it cannot be judged.</summary>
    /// <remarks>
    /// Unknown: the argument is missing or null (for any operator but <c>exists</c>), or of a type the operator cannot
    /// compare (a numeric operator on text, a regex on a number, a list operator on an object or a list).
    /// A regex that runs past its timeout on agent-supplied text throws <see cref="System.Text.RegularExpressions.RegexMatchTimeoutException"/>;
    /// the caller refuses the call, since "did not match" would let an approval rule pass unasked.
    /// </remarks>
    public static Truth Judge(PolicyCondition condition, JsonElement? actual)
    {
        if (condition.Op == ConditionOp.Exists)
        {
            // JSON null is given and means "clear it": neither there nor absent, so it cannot settle exists either way.
            if (actual is { ValueKind: JsonValueKind.Null })
            {
                return Truth.Unknown;
            }

            return (actual is not null) == condition.Value.GetBoolean() ? Truth.True : Truth.False;
        }

        if (actual is not { ValueKind: not JsonValueKind.Null } value)
        {
            return Truth.Unknown;
        }

        return condition.Op switch
        {
            ConditionOp.Eq => Of(Equal(value, condition.Value)),
            ConditionOp.Neq => Of(!Equal(value, condition.Value)),
            ConditionOp.In or ConditionOp.NotIn when value.ValueKind is JsonValueKind.Object or JsonValueKind.Array => Truth.Unknown,
            ConditionOp.In => Of(In(value, condition.Value)),
            ConditionOp.NotIn => Of(!In(value, condition.Value)),
            ConditionOp.Lt or ConditionOp.Lte or ConditionOp.Gt or ConditionOp.Gte => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
                ? Of(Compare(condition.Op, number, condition.Value.GetDouble()))
                : Truth.Unknown,
            ConditionOp.Regex => value.ValueKind == JsonValueKind.String ? Of(condition.Pattern!.IsMatch(value.GetString()!)) : Truth.Unknown,
            ConditionOp.Contains => Contains(value, condition.Value),
            _ => Truth.Unknown,
        };
    }

    /// <summary>Two-valued view, for callers that treat unknown as "does not hold".</summary>
    public static bool Holds(PolicyCondition condition, JsonElement? actual) => Judge(condition, actual) == Truth.True;

    private static Truth Of(bool value) => value ? Truth.True : Truth.False;

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

    /// <summary>
    /// Numbers by value, everything else by its text, as Intercept compares (true equals "true"); two UUIDs in any
    /// case, because Portkey treats them as one (a policy may write one in upper case).
    /// </summary>
    private static bool Equal(JsonElement actual, JsonElement expected)
    {
        if (actual.ValueKind == JsonValueKind.Number && expected.ValueKind == JsonValueKind.Number)
        {
            return actual.GetDouble() == expected.GetDouble();
        }

        var (left, right) = (Text(actual), Text(expected));
        return string.Equals(left, right, StringComparison.Ordinal) ||
               (Schemas.StringSchema.IsUuid(left) && Schemas.StringSchema.IsUuid(right) && string.Equals(left, right, StringComparison.OrdinalIgnoreCase));
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

    private static Truth Contains(JsonElement actual, JsonElement expected)
    {
        if (actual.ValueKind == JsonValueKind.String)
        {
            return expected.ValueKind == JsonValueKind.String
                ? Of(actual.GetString()!.Contains(expected.GetString()!, StringComparison.Ordinal))
                : Truth.Unknown;
        }

        if (actual.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in actual.EnumerateArray())
            {
                if (Equal(item, expected))
                {
                    return Truth.True;
                }
            }

            return Truth.False;
        }

        return Truth.Unknown;
    }
}
