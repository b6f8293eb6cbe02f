using System.Text.Json.Serialization;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.ApiKeys;

/// <summary>
/// An API key as Portkey returns it from GET /api-keys/{id} and in list items. Every member is optional
/// and loosely typed where live answers differ from the OpenAPI document: <c>status</c> is a free string
/// (live: "expired"), limits may be floats, top-level <c>allow_config_override</c> is 0/1/null,
/// and unknown fields are ignored.
/// </summary>
public sealed class ApiKeyRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("key")] public string? MaskedKey { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; set; }
    [JsonPropertyName("creation_mode")] public string? CreationMode { get; set; }
    [JsonPropertyName("rate_limits")] public List<RateLimitRecord>? RateLimits { get; set; }
    [JsonPropertyName("usage_limits")] public UsageLimitsRecord? UsageLimits { get; set; }
    [JsonPropertyName("reset_usage")] public double? ResetUsage { get; set; }
    [JsonPropertyName("scopes")] public List<string>? Scopes { get; set; }
    [JsonPropertyName("defaults")] public ApiKeyDefaultsRecord? Defaults { get; set; }
    [JsonPropertyName("alert_emails")] public List<string>? AlertEmails { get; set; }
    [JsonPropertyName("expires_at")] public string? ExpiresAt { get; set; }
    [JsonPropertyName("last_reset_at")] public string? LastResetAt { get; set; }
    [JsonPropertyName("next_usage_reset_at")] public string? NextUsageResetAt { get; set; }

    [JsonPropertyName("expiry_enforced")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? ExpiryEnforced { get; set; }

    [JsonPropertyName("allow_config_override")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? AllowConfigOverride { get; set; }

    [JsonPropertyName("rotation_policy")] public RotationPolicyRecord? RotationPolicy { get; set; }
}

public sealed class ApiKeyDefaultsRecord
{
    [JsonPropertyName("config_id")] public string? ConfigId { get; set; }
    [JsonPropertyName("metadata")] public Dictionary<string, System.Text.Json.JsonElement>? Metadata { get; set; }

    [JsonPropertyName("allow_config_override")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? AllowConfigOverride { get; set; }
}

public sealed class RotationPolicyRecord
{
    [JsonPropertyName("rotation_period")] public string? RotationPeriod { get; set; }
    [JsonPropertyName("next_rotation_at")] public string? NextRotationAt { get; set; }
    [JsonPropertyName("key_transition_period_ms")] public double? KeyTransitionPeriodMs { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
}

/// <summary>The answer to POST /api-keys/{type}/{sub-type}: the one time the full secret is shown.</summary>
public sealed class CreatedApiKeyRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("object")] public string? Object { get; set; }
}

/// <summary>The answer to POST /api-keys/{id}/rotate: the new secret, shown once.</summary>
public sealed class RotatedApiKeyRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("key_transition_expires_at")] public string? KeyTransitionExpiresAt { get; set; }
}
