using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Portkey.Models;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

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
                AlertThresholdPercent = Validation.UsageLimits.Percent(limits.AlertThreshold, limits.CreditLimit),
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

/// <summary>A virtual key as the tools show it. Never carries the provider key; model_config secrets are masked.</summary>
public sealed class VirtualKeyDetails
{
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("masked_key")] public string? MaskedKey { get; init; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [JsonPropertyName("workspace_name")] public string? WorkspaceName { get; init; }
    [JsonPropertyName("integration_id")] public string? IntegrationId { get; init; }
    [JsonPropertyName("usage_limits")] public UsageLimitsDetails? UsageLimits { get; init; }
    [JsonPropertyName("rate_limits")] public IReadOnlyList<RateLimitDetails> RateLimits { get; init; } = [];
    [JsonPropertyName("expires_at")] public string? ExpiresAt { get; init; }
    [JsonPropertyName("reset_usage")] public double? ResetUsage { get; init; }
    [JsonPropertyName("last_reset_at")] public string? LastResetAt { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("model_config")] public JsonElement? ModelConfig { get; init; }

    public static VirtualKeyDetails From(VirtualKeyRecord record) => new()
    {
        Slug = record.Slug,
        Id = record.Id,
        Name = record.Name,
        Note = record.Note,
        // The list answer says provider, the single-record answer ai_provider_name.
        Provider = record.Provider ?? record.AiProviderName,
        Status = record.Status,
        MaskedKey = record.MaskedApiKey,
        WorkspaceId = record.WorkspaceId,
        WorkspaceName = record.WorkspaceName,
        IntegrationId = record.IntegrationId,
        UsageLimits = UsageLimitsDetails.From(record.UsageLimits),
        RateLimits = RateLimitDetails.From(record.RateLimits),
        ExpiresAt = record.ExpiresAt,
        ResetUsage = record.ResetUsage,
        LastResetAt = record.LastResetAt,
        CreatedAt = record.CreatedAt,
        ModelConfig = record.ModelConfig is { ValueKind: JsonValueKind.Object } config && config.EnumerateObject().Any()
            ? MaskSecrets(config)
            : null,
    };

    private static JsonElement MaskSecrets(JsonElement config)
    {
        using var document = JsonDocument.Parse(Security.SecretRegistry.ScrubSecretProperties(config.GetRawText()));
        return document.RootElement.Clone();
    }
}

public sealed class Page<T>
{
    [JsonPropertyName("total")] public required long Total { get; init; }
    [JsonPropertyName("current_page")] public required long CurrentPage { get; init; }
    [JsonPropertyName("page_size")] public long? PageSize { get; init; }
    [JsonPropertyName("has_more")] public required bool HasMore { get; init; }
    [JsonPropertyName("next_page")] public long? NextPage { get; init; }
    [JsonPropertyName("items")] public required IReadOnlyList<T> Items { get; init; }
}

/// <summary>Portkey gives a total and no cursor; whether more pages exist follows from page, size and total.</summary>
public static class Page
{
    public static Page<T> From<T>(IReadOnlyList<T> items, double? total, long? pageSize, long currentPage)
    {
        var count = (long)(total ?? items.Count);
        var seen = pageSize is { } size ? (currentPage * size) + items.Count : items.Count;
        var hasMore = seen < count && items.Count > 0;
        return new Page<T>
        {
            Total = count,
            CurrentPage = currentPage,
            PageSize = pageSize,
            HasMore = hasMore,
            NextPage = hasMore ? currentPage + 1 : null,
            Items = items,
        };
    }
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

public sealed class DeletedRecord
{
    [JsonPropertyName("deleted")] public required string Deleted { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

public sealed class UpdatedVirtualKey
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("updated_fields")] public required IReadOnlyList<string> UpdatedFields { get; init; }
    [JsonPropertyName("virtual_key")] public VirtualKeyDetails? VirtualKey { get; init; }
}

/// <summary>The request a write tool would send: method, URL, path, query and body, every secret masked.</summary>
public sealed class RequestPreview
{
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("query")] public Dictionary<string, string>? Query { get; init; }
    [JsonPropertyName("body")] public JsonElement? Body { get; init; }
}

public sealed class DryRunResult
{
    [JsonPropertyName("dry_run")] public bool IsDryRun { get; init; } = true;
    [JsonPropertyName("request")] public required RequestPreview Request { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(CreatedVirtualKey))]
[JsonSerializable(typeof(UpdatedApiKey))]
[JsonSerializable(typeof(ApiKeyDetails))]
[JsonSerializable(typeof(VirtualKeyDetails))]
[JsonSerializable(typeof(Page<ApiKeyDetails>))]
[JsonSerializable(typeof(Page<VirtualKeyDetails>))]
[JsonSerializable(typeof(RotatedApiKey))]
[JsonSerializable(typeof(DeletedRecord))]
[JsonSerializable(typeof(UpdatedVirtualKey))]
[JsonSerializable(typeof(DryRunResult))]
internal sealed partial class ToolJsonContext : JsonSerializerContext;
