using System.Text.Json.Nodes;
using PortkeyAdminMcp.Portkey.Models;

namespace PortkeyAdminMcp.Validation;

/// <summary>
/// The tools speak of <c>alert_threshold</c> as a percentage of <c>credit_limit</c>; Portkey stores an
/// absolute amount in the credit limit's unit. All conversion between the two happens here.
/// </summary>
public static class UsageLimits
{
    public const string DefaultType = "cost";

    /// <summary>80 % of 250 is 200; never below Portkey's minimum of 1.</summary>
    public static long AbsoluteAlert(double percent, double creditLimit) =>
        Math.Max(1, (long)Math.Round(percent / 100.0 * creditLimit, MidpointRounding.AwayFromZero));

    /// <summary>The percentage an absolute alert represents, for reading keys back (one decimal).</summary>
    public static double? Percent(double? alert, double? creditLimit) =>
        alert is { } a && creditLimit is { } c && c > 0 ? Math.Round(a / c * 100.0, 1) : null;

    /// <summary>usage_limits for a new key or virtual key: cost in USD, no periodic reset.</summary>
    public static JsonObject ForCreate(long creditLimit, double? alertPercent)
    {
        var limits = new JsonObject
        {
            ["type"] = DefaultType,
            ["credit_limit"] = creditLimit,
        };
        if (alertPercent is { } percent)
        {
            limits["alert_threshold"] = AbsoluteAlert(percent, creditLimit);
        }

        return limits;
    }

    /// <summary>
    /// The whole usage_limits object for an update, merged with the key's current one: its type and
    /// reset period are kept (never overwritten with cost/monthly), a new percentage applies to the new
    /// credit limit or else the current one, and a changed credit limit keeps the current alert percentage.
    /// </summary>
    public static JsonObject ForUpdate(UsageLimitsRecord? current, long? newCreditLimit, double? newAlertPercent, out FieldError? error)
    {
        error = null;
        var creditLimit = newCreditLimit ?? current?.CreditLimit;
        var merged = new JsonObject { ["type"] = current?.Type ?? DefaultType };

        if (creditLimit is not { } limit)
        {
            error = new FieldError("alert_threshold", "the key has no credit limit to take a percentage of; give credit_limit too");
            return merged;
        }

        merged["credit_limit"] = Number(limit);

        if (newAlertPercent is { } percent)
        {
            merged["alert_threshold"] = AbsoluteAlert(percent, limit);
        }
        else if (current?.AlertThreshold is { } currentAlert)
        {
            merged["alert_threshold"] = newCreditLimit is not null && Percent(currentAlert, current.CreditLimit) is { } keptPercent
                ? AbsoluteAlert(keptPercent, limit)
                : Number(currentAlert);
        }

        if (current?.PeriodicReset is { } reset)
        {
            merged["periodic_reset"] = reset;
        }

        if (current?.PeriodicResetDays is { } days)
        {
            merged["periodic_reset_days"] = Number(days);
        }

        return merged;
    }

    /// <summary>Whole numbers go out as integers (Portkey's schema says integer); others as they are.</summary>
    public static JsonNode Number(double value) =>
        Math.Floor(value) == value && Math.Abs(value) < 9e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);
}
