using System.Text.Json.Serialization;

namespace PortkeyAdminMcp.Limits;

public sealed class UsageLimitsDetails
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("credit_limit")] public double? CreditLimit { get; init; }

    /// <summary>Absolute, in the credit limit's unit, as Portkey stores it.</summary>
    [JsonPropertyName("alert_threshold")] public double? AlertThreshold { get; init; }
    [JsonPropertyName("alert_threshold_percent")] public double? AlertThresholdPercent { get; init; }
    [JsonPropertyName("periodic_reset")] public string? PeriodicReset { get; init; }
    [JsonPropertyName("periodic_reset_days")] public double? PeriodicResetDays { get; init; }
    [JsonPropertyName("next_usage_reset_at")] public string? NextUsageResetAt { get; init; }

    /// <summary>Null when Portkey holds no limit (live records may carry only bookkeeping keys).</summary>
    public static UsageLimitsDetails? From(UsageLimitsRecord? limits) =>
        limits is null || (limits.CreditLimit is null && limits.AlertThreshold is null && limits.Type is null &&
                           limits.PeriodicReset is null && limits.PeriodicResetDays is null)
            ? null
            : new UsageLimitsDetails
            {
                Type = limits.Type,
                CreditLimit = limits.CreditLimit,
                AlertThreshold = limits.AlertThreshold,
                AlertThresholdPercent = UsageLimits.Percent(limits.AlertThreshold, limits.CreditLimit),
                PeriodicReset = limits.PeriodicReset,
                PeriodicResetDays = limits.PeriodicResetDays,
                NextUsageResetAt = limits.NextUsageResetAt,
            };
}

public sealed class RateLimitDetails
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("unit")] public string? Unit { get; init; }
    [JsonPropertyName("value")] public double? Value { get; init; }

    public static List<RateLimitDetails> From(IEnumerable<RateLimitRecord>? limits) =>
        [.. (limits ?? []).Select(limit => new RateLimitDetails { Type = limit.Type, Unit = limit.Unit, Value = limit.Value })];
}
