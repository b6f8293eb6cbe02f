using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Limits;

/// <summary>
/// The argument shapes of usage and rate limits, one implementation for every record that has limits (keys, and
/// later workspaces, providers, integrations and policies): the same units, ranges and wording everywhere.
/// </summary>
public static class LimitSchemas
{
    public const int MaxRateLimits = 20;
    public static readonly string[] RateLimitTypes = ["requests", "tokens"];
    public static readonly string[] UsageLimitTypes = ["cost", "tokens"];
    public static readonly string[] ResetPeriods = ["weekly", "monthly"];

    public static NumberSchema CreditLimit(string? description = null, bool nullable = false) =>
        new() { Description = description, Minimum = 1, RequireWhole = true, Nullable = nullable };

    public static NumberSchema AlertThreshold(string? description = null) =>
        new() { Description = description, Minimum = 0, Maximum = 100 };

    public static NumberSchema RateLimitRpm(string? description = null) =>
        new() { Description = description, Minimum = 1, RequireWhole = true };

    public static StringSchema UsageLimitType(bool nullable = false) =>
        new() { Description = "Unit of credit_limit: cost (USD, default) or tokens.", Enum = UsageLimitTypes, Nullable = nullable };

    public static StringSchema PeriodicReset(bool nullable = false) =>
        new() { Description = "Reset usage weekly or monthly.", Enum = ResetPeriods, Nullable = nullable };

    public static NumberSchema PeriodicResetDays(bool nullable = false) =>
        new() { Description = "Reset usage every N days.", Integer = true, Minimum = 1, Maximum = 365, Nullable = nullable };

    /// <summary>
    /// The flat limit arguments of the key tools, for every record that has limits (workspaces, providers): one
    /// implementation, the same names and meanings everywhere.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, Schema>> Flat(string[] rateUnits, bool isCreate) =>
    [
        new("credit_limit", CreditLimit(isCreate ? "USD, or tokens per usage_limit_type." : "null removes the usage limit.", nullable: !isCreate)),
        new("alert_threshold", AlertThreshold(isCreate ? "Percent of credit_limit." : "Percent of the new, else current, credit limit.")),
        new("usage_limit_type", UsageLimitType()),
        new("periodic_reset", PeriodicReset(nullable: !isCreate)),
        new("periodic_reset_days", PeriodicResetDays(nullable: !isCreate)),
        new("rate_limit_rpm", RateLimitRpm(isCreate ? null : "Other rate limits are kept.")),
        new("rate_limits", RateLimits(rateUnits, nullable: !isCreate)),
    ];

    public static ArraySchema RateLimits(string[] units, bool nullable) => new()
    {
        Description = nullable ? "Replaces all rate limits; null removes them." : null,
        Nullable = nullable,
        MaxItems = MaxRateLimits,
        Items = new ObjectSchema
        {
            Properties =
            [
                new("type", new StringSchema { Enum = RateLimitTypes }),
                new("unit", new StringSchema { Enum = units }),
                new("value", new NumberSchema { Integer = true, Minimum = 0 }),
            ],
            Required = ["type", "unit", "value"],
        },
    };
}
