using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Portkey.Models;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>What create_api_key returns: the only time the full secret is ever available.</summary>
public sealed class CreatedApiKey
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("warning")] public required string Warning { get; init; }
}

public sealed class CreatedVirtualKey
{
    [JsonPropertyName("slug")] public required string Slug { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

public sealed class UpdatedApiKey
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("updated_fields")] public required IReadOnlyList<string> UpdatedFields { get; init; }
    [JsonPropertyName("api_key")] public ApiKeyDetails? ApiKey { get; init; }
}

/// <summary>An API key as the tools show it: Portkey's record, normalised, with the alert also as a percentage.</summary>
public sealed class ApiKeyDetails
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("masked_key")] public string? MaskedKey { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; init; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [JsonPropertyName("user_id")] public string? UserId { get; init; }
    [JsonPropertyName("scopes")] public IReadOnlyList<string> Scopes { get; init; } = [];
    [JsonPropertyName("usage_limits")] public UsageLimitsDetails? UsageLimits { get; init; }
    [JsonPropertyName("rate_limits")] public IReadOnlyList<RateLimitDetails> RateLimits { get; init; } = [];
    [JsonPropertyName("defaults")] public DefaultsDetails? Defaults { get; init; }
    [JsonPropertyName("alert_emails")] public IReadOnlyList<string> AlertEmails { get; init; } = [];
    [JsonPropertyName("expires_at")] public string? ExpiresAt { get; init; }
    [JsonPropertyName("expiry_enforced")] public bool? ExpiryEnforced { get; init; }
    [JsonPropertyName("rotation_policy")] public RotationPolicyDetails? RotationPolicy { get; init; }
    [JsonPropertyName("reset_usage")] public double? ResetUsage { get; init; }
    [JsonPropertyName("last_reset_at")] public string? LastResetAt { get; init; }
    [JsonPropertyName("next_usage_reset_at")] public string? NextUsageResetAt { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; init; }
    [JsonPropertyName("creation_mode")] public string? CreationMode { get; init; }

    public static ApiKeyDetails From(ApiKeyRecord record) => new()
    {
        Id = record.Id,
        Name = record.Name,
        Description = record.Description,
        MaskedKey = record.MaskedKey,
        Type = record.Type,
        Status = record.Status,
        OrganisationId = record.OrganisationId,
        WorkspaceId = record.WorkspaceId,
        UserId = record.UserId,
        Scopes = record.Scopes ?? [],
        UsageLimits = record.UsageLimits is { } limits && HasAny(limits) ? new UsageLimitsDetails
        {
            Type = limits.Type,
            CreditLimit = limits.CreditLimit,
            AlertThreshold = limits.AlertThreshold,
            AlertThresholdPercent = Validation.UsageLimits.Percent(limits.AlertThreshold, limits.CreditLimit),
            PeriodicReset = limits.PeriodicReset,
            PeriodicResetDays = limits.PeriodicResetDays,
            NextUsageResetAt = limits.NextUsageResetAt,
        } : null,
        RateLimits = (record.RateLimits ?? [])
            .Select(limit => new RateLimitDetails { Type = limit.Type, Unit = limit.Unit, Value = limit.Value })
            .ToList(),
        Defaults = record.Defaults is null && record.AllowConfigOverride is null ? null : new DefaultsDetails
        {
            ConfigId = record.Defaults?.ConfigId,
            Metadata = record.Defaults?.Metadata,
            // The nested flag is the documented one; the live top-level 0/1 copy fills in when it is missing.
            AllowConfigOverride = record.Defaults?.AllowConfigOverride ?? record.AllowConfigOverride,
        },
        AlertEmails = record.AlertEmails ?? [],
        ExpiresAt = record.ExpiresAt,
        ExpiryEnforced = record.ExpiryEnforced,
        RotationPolicy = record.RotationPolicy is { } policy ? new RotationPolicyDetails
        {
            RotationPeriod = policy.RotationPeriod,
            NextRotationAt = policy.NextRotationAt,
            KeyTransitionPeriodMs = policy.KeyTransitionPeriodMs,
            Status = policy.Status,
        } : null,
        ResetUsage = record.ResetUsage,
        LastResetAt = record.LastResetAt,
        NextUsageResetAt = record.NextUsageResetAt ?? record.UsageLimits?.NextUsageResetAt,
        CreatedAt = record.CreatedAt,
        LastUpdatedAt = record.LastUpdatedAt,
        CreationMode = record.CreationMode,
    };

    private static bool HasAny(UsageLimitsRecord limits) =>
        limits.CreditLimit is not null || limits.AlertThreshold is not null || limits.Type is not null ||
        limits.PeriodicReset is not null || limits.PeriodicResetDays is not null;
}

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
}

public sealed class RateLimitDetails
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("unit")] public string? Unit { get; init; }
    [JsonPropertyName("value")] public double? Value { get; init; }
}

public sealed class DefaultsDetails
{
    [JsonPropertyName("config_id")] public string? ConfigId { get; init; }
    [JsonPropertyName("metadata")] public Dictionary<string, JsonElement>? Metadata { get; init; }
    [JsonPropertyName("allow_config_override")] public bool? AllowConfigOverride { get; init; }
}

public sealed class RotationPolicyDetails
{
    [JsonPropertyName("rotation_period")] public string? RotationPeriod { get; init; }
    [JsonPropertyName("next_rotation_at")] public string? NextRotationAt { get; init; }
    [JsonPropertyName("key_transition_period_ms")] public double? KeyTransitionPeriodMs { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(CreatedVirtualKey))]
[JsonSerializable(typeof(UpdatedApiKey))]
[JsonSerializable(typeof(ApiKeyDetails))]
internal sealed partial class ToolJsonContext : JsonSerializerContext;
