using System.Text.Json.Nodes;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Limits;

/// <summary>
/// Builds <c>usage_limits</c> from the tools' flat arguments. The tools speak of <c>alert_threshold</c> as a
/// percentage of <c>credit_limit</c>; Portkey stores an absolute amount in the credit limit's unit. All
/// conversion between the two, and all merging with a record's current limits, happens here.
/// </summary>
public static class UsageLimits
{
    public const string DefaultType = "cost";

    /// <summary>The arguments that shape usage_limits (besides credit_limit itself).</summary>
    public static readonly string[] Modifiers = ["alert_threshold", "usage_limit_type", "periodic_reset", "periodic_reset_days"];

    /// <summary>Portkey's documented minimum credit limit per limit type.</summary>
    public static long MinimumCredit(string? type) => type == "tokens" ? 100 : 1;

    /// <summary>80 % of 250 is 200; never below Portkey's minimum of 1.</summary>
    public static long AbsoluteAlert(double percent, double creditLimit) =>
        Math.Max(1, (long)Math.Round(percent / 100.0 * creditLimit, MidpointRounding.AwayFromZero));

    /// <summary>The percentage an absolute alert represents, for reading records back (one decimal).</summary>
    public static double? Percent(double? alert, double? creditLimit) =>
        alert is { } a && creditLimit is { } c && c > 0 ? Math.Round(a / c * 100.0, 1) : null;

    public static bool Touched(ToolArguments args) => args.Has("credit_limit") || Modifiers.Any(args.Has);

    /// <summary>Rules shared by every tool that takes the flat limit arguments.</summary>
    public static IEnumerable<FieldError> Rules(ToolArguments args, bool isCreate)
    {
        if (args.HasValue("periodic_reset") && args.HasValue("periodic_reset_days"))
        {
            yield return new FieldError("periodic_reset_days", "cannot be combined with periodic_reset; choose one");
        }

        if (isCreate && !args.HasValue("credit_limit"))
        {
            foreach (var modifier in Modifiers.Where(args.HasValue))
            {
                yield return new FieldError(modifier, modifier == "alert_threshold"
                    ? "is a percentage of credit_limit, so credit_limit is required with it"
                    : "shapes the credit limit, so credit_limit is required with it");
            }
        }

        if (args.IsNull("credit_limit"))
        {
            foreach (var modifier in Modifiers.Where(args.Has))
            {
                yield return new FieldError(modifier, "cannot be set while credit_limit is null (which removes the usage limit)");
            }
        }

        if (args.Number("credit_limit") is { } limit && args.String("usage_limit_type") is { } type && limit < MinimumCredit(type))
        {
            yield return new FieldError("credit_limit", $"must be at least {MinimumCredit(type)} for a {type} limit (got {FormatNumber(limit)})");
        }
    }

    /// <summary>usage_limits for a new record, or null when no limit was asked for.</summary>
    public static JsonObject? ForCreate(ToolArguments args)
    {
        if (args.Integer("credit_limit") is not { } creditLimit)
        {
            return null;
        }

        var limits = new JsonObject
        {
            ["type"] = args.String("usage_limit_type") ?? DefaultType,
            ["credit_limit"] = creditLimit,
        };
        if (args.Number("alert_threshold") is { } percent)
        {
            limits["alert_threshold"] = AbsoluteAlert(percent, creditLimit);
        }

        CopyReset(args, limits);
        return limits;
    }

    /// <summary>
    /// The whole usage_limits value for an update, merged with the record's current one: its type and reset
    /// period are kept unless changed, a new percentage applies to the new credit limit or else the current
    /// one, and a changed credit limit keeps the current alert percentage. JSON null removes the limit.
    /// </summary>
    public static JsonNode? ForUpdate(UsageLimitsRecord? current, ToolArguments args, List<FieldError> errors)
    {
        if (args.IsNull("credit_limit"))
        {
            return null;
        }

        var newCreditLimit = args.Integer("credit_limit");
        var currentType = current?.CreditLimit is null ? null : current.Type;
        var type = args.String("usage_limit_type") ?? currentType ?? DefaultType;
        var merged = new JsonObject { ["type"] = type };

        if (newCreditLimit is null && currentType is not null && type != currentType)
        {
            errors.Add(new FieldError("usage_limit_type", $"changes the unit of the current credit limit ({currentType} to {type}); give the new credit_limit too"));
            return merged;
        }

        if ((newCreditLimit ?? current?.CreditLimit) is not { } limit)
        {
            var field = Modifiers.FirstOrDefault(args.HasValue) ?? "credit_limit";
            errors.Add(new FieldError(field, field == "alert_threshold"
                ? "the record has no credit limit to take a percentage of; give credit_limit too"
                : "the record has no credit limit to apply this to; give credit_limit too"));
            return merged;
        }

        if (newCreditLimit is null && limit < MinimumCredit(type))
        {
            errors.Add(new FieldError("credit_limit", $"the current credit limit {FormatNumber(limit)} is below the {type} minimum of {MinimumCredit(type)}; give a new credit_limit"));
        }
        else if (newCreditLimit is { } given && given < MinimumCredit(type))
        {
            // The unit may be the record's (a tokens limit) rather than one given in this call.
            errors.Add(new FieldError("credit_limit", $"must be at least {MinimumCredit(type)} for a {type} limit (got {given})"));
        }

        merged["credit_limit"] = Number(limit);

        if (args.Number("alert_threshold") is { } percent)
        {
            merged["alert_threshold"] = AbsoluteAlert(percent, limit);
        }
        else if (current?.AlertThreshold is { } currentAlert)
        {
            // The kept percentage is the exact ratio, not the one-decimal figure shown to agents: 2 of 3 on a
            // new limit of 3000 is 2000, where 66.7 % would give 2001.
            merged["alert_threshold"] = newCreditLimit is not null && current.CreditLimit is { } oldLimit && oldLimit > 0
                ? Math.Max(1, (long)Math.Round(currentAlert * limit / oldLimit, MidpointRounding.AwayFromZero))
                : Number(currentAlert);
        }

        if (args.Has("periodic_reset") || args.Has("periodic_reset_days"))
        {
            CopyReset(args, merged);
        }
        else if (current?.PeriodicReset is { } reset)
        {
            merged["periodic_reset"] = reset;
        }
        else if (current?.PeriodicResetDays is { } days)
        {
            merged["periodic_reset_days"] = Number(days);
        }

        return merged;
    }

    private static void CopyReset(ToolArguments args, JsonObject limits)
    {
        if (args.String("periodic_reset") is { } reset)
        {
            limits["periodic_reset"] = reset;
        }
        else if (args.Integer("periodic_reset_days") is { } days)
        {
            limits["periodic_reset_days"] = days;
        }
    }

    private static string FormatNumber(double value) => value.ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whole numbers go out as integers (Portkey's schema says integer); others as they are.</summary>
    public static JsonNode Number(double value) =>
        Math.Floor(value) == value && Math.Abs(value) < 9e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);
}
