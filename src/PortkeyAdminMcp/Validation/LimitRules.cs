using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Portkey.Models;

namespace PortkeyAdminMcp.Validation;

/// <summary>Rules and mappings for rate limits, rotation policies and exclusive arguments, shared by the tools.</summary>
public static class LimitRules
{
    /// <summary>The time rules that need "now" read it from here, so tests can fix it.</summary>
    public static TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The rules every tool with flat limit arguments shares: usage limits, rate limits, expiry.</summary>
    public static IEnumerable<FieldError> Shared(ToolArguments args, bool isCreate) =>
        UsageLimits.Rules(args, isCreate)
            .Concat(Exclusive(args, "rate_limit_rpm", "rate_limits"))
            .Concat(RateLimits(args))
            .Concat(FutureDate(args, "expires_at"));

    /// <summary>An update that names only the record (and maybe dry_run) would send an empty body.</summary>
    public static IEnumerable<FieldError> SomethingToUpdate(ToolArguments args, string idField)
    {
        if (!args.Names.Any(name => name != idField && name != "dry_run"))
        {
            yield return new FieldError("(arguments)", $"nothing to update: give at least one field besides {idField}");
        }
    }

    public static IEnumerable<FieldError> Exclusive(ToolArguments args, string first, string second)
    {
        if (args.Has(first) && args.Has(second))
        {
            yield return new FieldError(second, $"cannot be combined with {first}; choose one");
        }
    }

    public static IEnumerable<FieldError> FutureDate(ToolArguments args, string field) =>
        args.String(field) is { } text ? FutureDate(text, field) : [];

    private static IEnumerable<FieldError> FutureDate(string text, string field)
    {
        if (StringSchema.IsDateTime(text) && DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) <= Clock.GetUtcNow())
        {
            yield return new FieldError(field, $"must be in the future (got '{text}')");
        }
    }

    /// <summary>Each (type, unit) pair at most once: two rpm limits would leave Portkey to pick one.</summary>
    public static IEnumerable<FieldError> RateLimits(ToolArguments args, string field = "rate_limits")
    {
        if (args.Get(field) is not { ValueKind: JsonValueKind.Array } list)
        {
            yield break;
        }

        var seen = new HashSet<(string?, string?)>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                var pair = (Text(item, "type"), Text(item, "unit"));
                if (!seen.Add(pair))
                {
                    yield return new FieldError($"{field}[{index}]", $"repeats the {pair.Item1}/{pair.Item2} limit");
                }
            }

            index++;
        }
    }

    public static IEnumerable<FieldError> RotationPolicy(ToolArguments args, string field = "rotation_policy")
    {
        if (args.Get(field) is not { ValueKind: JsonValueKind.Object } policy)
        {
            yield break;
        }

        var period = Text(policy, "rotation_period");
        var next = Text(policy, "next_rotation_at");
        if ((period is null) == (next is null))
        {
            yield return new FieldError(field, "needs exactly one of rotation_period and next_rotation_at");
        }

        if (next is not null)
        {
            foreach (var error in FutureDate(next, field + ".next_rotation_at"))
            {
                yield return error;
            }
        }

        if (period is not null && policy.TryGetProperty("key_transition_period_ms", out var transition) && transition.TryGetDouble(out var ms))
        {
            var limit = period == "weekly" ? CommonSchemas.WeekMs : CommonSchemas.ShortestMonthMs;
            if (ms >= limit)
            {
                yield return new FieldError(field + ".key_transition_period_ms", $"must be shorter than the {period} rotation period ({limit} ms)");
            }
        }
    }

    /// <summary>
    /// rate_limits for a request: the full list as given (null clears), or the rate_limit_rpm shortcut, which
    /// replaces only the requests-per-minute limit and keeps the record's other limits. Null when untouched.
    /// </summary>
    public static (bool Send, JsonNode? Value) RateLimitsFor(ToolArguments args, IReadOnlyList<RateLimitRecord>? current)
    {
        if (args.Has("rate_limits"))
        {
            return (true, args.Get("rate_limits") is { } list ? Normalize(list) : null);
        }

        if (args.Integer("rate_limit_rpm") is not { } rpm)
        {
            return (false, null);
        }

        var kept = (current ?? [])
            .Where(limit => !(limit.Type == "requests" && limit.Unit == "rpm") && limit.Type is not null && limit.Unit is not null && limit.Value is not null)
            .Select(limit => (JsonNode)Limit(limit.Type!, limit.Unit!, UsageLimits.Number(limit.Value!.Value)));
        return (true, new JsonArray([.. kept, Limit("requests", "rpm", rpm)]));
    }

    public static JsonNode? RotationPolicyFor(ToolArguments args) =>
        args.Get("rotation_policy") is { } policy ? JsonNode.Parse(policy.GetRawText()) : null;

    private static JsonArray Normalize(JsonElement list) => new([.. list.EnumerateArray().Select(item =>
        (JsonNode)Limit(Text(item, "type")!, Text(item, "unit")!, UsageLimits.Number(item.GetProperty("value").GetDouble())))]);

    private static JsonObject Limit(string type, string unit, JsonNode value) => new() { ["type"] = type, ["unit"] = unit, ["value"] = value };

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
