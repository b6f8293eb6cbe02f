using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Limits;

namespace PortkeyAdminMcp.ApiKeys;

/// <summary>What create_api_key returns: the only time the full secret is ever available.</summary>
public sealed class CreatedApiKey
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("key_file")] public string? KeyFile { get; init; }
    [JsonPropertyName("key_masked")] public string? KeyMasked { get; init; }
    [JsonPropertyName("key_sha256")] public string? KeySha256 { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("warning")] public required string Warning { get; init; }
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
        UsageLimits = UsageLimitsDetails.From(record.UsageLimits),
        RateLimits = RateLimitDetails.From(record.RateLimits),
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

public sealed class RotatedApiKey
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("key_file")] public string? KeyFile { get; init; }
    [JsonPropertyName("key_masked")] public string? KeyMasked { get; init; }
    [JsonPropertyName("key_sha256")] public string? KeySha256 { get; init; }
    [JsonPropertyName("key_transition_expires_at")] public string? KeyTransitionExpiresAt { get; init; }
    [JsonPropertyName("warning")] public required string Warning { get; init; }
}
