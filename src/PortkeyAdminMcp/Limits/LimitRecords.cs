using System.Text.Json.Serialization;

namespace PortkeyAdminMcp.Limits;

/// <summary>A record's usage limit as Portkey returns it: amounts may be floats, every field optional.</summary>
public sealed class UsageLimitsRecord
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("credit_limit")] public double? CreditLimit { get; set; }
    [JsonPropertyName("alert_threshold")] public double? AlertThreshold { get; set; }
    [JsonPropertyName("periodic_reset")] public string? PeriodicReset { get; set; }
    [JsonPropertyName("periodic_reset_days")] public double? PeriodicResetDays { get; set; }
    [JsonPropertyName("next_usage_reset_at")] public string? NextUsageResetAt { get; set; }
}

public sealed class RateLimitRecord
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("unit")] public string? Unit { get; set; }
    [JsonPropertyName("value")] public double? Value { get; set; }
}
