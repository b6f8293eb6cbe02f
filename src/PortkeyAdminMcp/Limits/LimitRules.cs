using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Limits;

/// <summary>Rules and mappings for rate limits, shared by every record that has them.</summary>
public static class LimitRules
{
    /// <summary>The rules every record with flat limit arguments shares: usage limits, and rate limits as a list or the rpm shortcut.</summary>
    public static IEnumerable<FieldError> Shared(ToolArguments args, bool isCreate) =>
        UsageLimits.Rules(args, isCreate)
            .Concat(ArgumentRules.Exclusive(args, "rate_limit_rpm", "rate_limits"))
            .Concat(RateLimits(args));

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

        var kept = AsSent((current ?? []).Where(limit => !(limit.Type == "requests" && limit.Unit == "rpm")));
        kept.Add((JsonNode)Limit("requests", "rpm", rpm));
        return (true, kept);
    }

    private static JsonArray Normalize(JsonElement list) => new([.. list.EnumerateArray().Select(item =>
        (JsonNode)Limit(Text(item, "type")!, Text(item, "unit")!, UsageLimits.Number(item.GetProperty("value").GetDouble())))]);

    /// <summary>A record's current rate limits as a request sends them back (complete ones only).</summary>
    public static JsonArray AsSent(IEnumerable<RateLimitRecord> current) => new([.. current
        .Where(limit => limit.Type is not null && limit.Unit is not null && limit.Value is not null)
        .Select(limit => (JsonNode)Limit(limit.Type!, limit.Unit!, UsageLimits.Number(limit.Value!.Value)))]);

    private static JsonObject Limit(string type, string unit, JsonNode value) => new() { ["type"] = type, ["unit"] = unit, ["value"] = value };

    private static string? Text(JsonElement item, string name) => ArgumentRules.Text(item, name);
}
