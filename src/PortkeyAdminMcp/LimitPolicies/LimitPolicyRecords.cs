using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.LimitPolicies;

/// <summary>A usage-limit policy as Portkey answers it (reference §9.3); alert_threshold is an amount, not a percent.</summary>
public sealed class UsageLimitPolicyRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; set; }
    [JsonPropertyName("conditions")] public JsonElement? Conditions { get; set; }
    [JsonPropertyName("group_by")] public JsonElement? GroupBy { get; set; }
    [JsonPropertyName("credit_limit")] public double? CreditLimit { get; set; }
    [JsonPropertyName("alert_threshold")] public double? AlertThreshold { get; set; }
    [JsonPropertyName("periodic_reset")] public string? PeriodicReset { get; set; }
    [JsonPropertyName("periodic_reset_days")] public double? PeriodicResetDays { get; set; }
    [JsonPropertyName("next_usage_reset_at")] public string? NextUsageResetAt { get; set; }
    [JsonPropertyName("last_reset_at")] public string? LastResetAt { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; set; }
    [JsonPropertyName("value_key_usage_map")] public JsonElement? ValueKeyUsageMap { get; set; }

    /// <summary>The policy's limit in the shape the key tools merge, so an update merges exactly as theirs do.</summary>
    public UsageLimitsRecord Limits => new()
    {
        Type = Type,
        CreditLimit = CreditLimit,
        AlertThreshold = AlertThreshold,
        PeriodicReset = PeriodicReset,
        PeriodicResetDays = PeriodicResetDays,
    };
}

/// <summary>A rate-limit policy as Portkey answers it (reference §10).</summary>
public sealed class RateLimitPolicyRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("unit")] public string? Unit { get; set; }
    [JsonPropertyName("value")] public double? Value { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; set; }
    [JsonPropertyName("conditions")] public JsonElement? Conditions { get; set; }
    [JsonPropertyName("group_by")] public JsonElement? GroupBy { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; set; }
}

/// <summary>One counter of a usage-limit policy: a combination of group_by values and its usage.</summary>
public sealed class UsageLimitEntityRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("value_key")] public string? ValueKey { get; set; }
    [JsonPropertyName("current_usage")] public double? CurrentUsage { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
}

public sealed class CreatedPolicyRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
}

/// <summary>A usage-limit policy as the tools show it: the alert both as Portkey's amount and as the percent tools take.</summary>
public sealed class UsageLimitPolicy
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; init; }
    [JsonPropertyName("conditions")] public JsonElement? Conditions { get; init; }
    [JsonPropertyName("group_by")] public JsonElement? GroupBy { get; init; }
    [JsonPropertyName("credit_limit")] public double? CreditLimit { get; init; }
    [JsonPropertyName("alert_threshold")] public double? AlertThreshold { get; init; }
    [JsonPropertyName("alert_threshold_percent")] public double? AlertThresholdPercent { get; init; }
    [JsonPropertyName("periodic_reset")] public string? PeriodicReset { get; init; }
    [JsonPropertyName("periodic_reset_days")] public double? PeriodicResetDays { get; init; }
    [JsonPropertyName("next_usage_reset_at")] public string? NextUsageResetAt { get; init; }
    [JsonPropertyName("last_reset_at")] public string? LastResetAt { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; init; }
    [JsonPropertyName("usage")] public JsonElement? Usage { get; init; }

    public static UsageLimitPolicy From(UsageLimitPolicyRecord record) => new()
    {
        Id = record.Id,
        Name = record.Name,
        Description = record.Description,
        Type = record.Type,
        Status = record.Status,
        WorkspaceId = record.WorkspaceId,
        OrganisationId = record.OrganisationId,
        Conditions = record.Conditions,
        GroupBy = record.GroupBy,
        CreditLimit = record.CreditLimit,
        AlertThreshold = record.AlertThreshold,
        AlertThresholdPercent = UsageLimits.Percent(record.AlertThreshold, record.CreditLimit),
        PeriodicReset = record.PeriodicReset,
        PeriodicResetDays = record.PeriodicResetDays,
        NextUsageResetAt = record.NextUsageResetAt,
        LastResetAt = record.LastResetAt,
        CreatedAt = record.CreatedAt,
        LastUpdatedAt = record.LastUpdatedAt,
        Usage = record.ValueKeyUsageMap is { ValueKind: JsonValueKind.Object } usage ? usage : null,
    };
}

public sealed class RateLimitPolicy
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("unit")] public string? Unit { get; init; }
    [JsonPropertyName("value")] public double? Value { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; init; }
    [JsonPropertyName("conditions")] public JsonElement? Conditions { get; init; }
    [JsonPropertyName("group_by")] public JsonElement? GroupBy { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; init; }

    public static RateLimitPolicy From(RateLimitPolicyRecord record) => new()
    {
        Id = record.Id,
        Name = record.Name,
        Description = record.Description,
        Type = record.Type,
        Unit = record.Unit,
        Value = record.Value,
        Status = record.Status,
        WorkspaceId = record.WorkspaceId,
        OrganisationId = record.OrganisationId,
        Conditions = record.Conditions,
        GroupBy = record.GroupBy,
        CreatedAt = record.CreatedAt,
        LastUpdatedAt = record.LastUpdatedAt,
    };
}

public sealed class UsageLimitEntity
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("value_key")] public string? ValueKey { get; init; }
    [JsonPropertyName("current_usage")] public double? CurrentUsage { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }

    public static UsageLimitEntity From(UsageLimitEntityRecord record) =>
        new() { Id = record.Id, ValueKey = record.ValueKey, CurrentUsage = record.CurrentUsage, Status = record.Status };
}

/// <summary>What a policy write returns: its id, what changed, and the policy read back where Portkey answers with ids only.</summary>
public sealed class PolicyChange<T>
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("updated_fields")] public IReadOnlyList<string>? UpdatedFields { get; init; }
    [JsonPropertyName("policy")] public T? Policy { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageLimitPolicyRecord))]
[JsonSerializable(typeof(RateLimitPolicyRecord))]
[JsonSerializable(typeof(CreatedPolicyRecord))]
[JsonSerializable(typeof(PageRecord<UsageLimitPolicyRecord>))]
[JsonSerializable(typeof(PageRecord<RateLimitPolicyRecord>))]
[JsonSerializable(typeof(PageRecord<UsageLimitEntityRecord>))]
[JsonSerializable(typeof(Page<UsageLimitPolicy>))]
[JsonSerializable(typeof(Page<RateLimitPolicy>))]
[JsonSerializable(typeof(Page<UsageLimitEntity>))]
[JsonSerializable(typeof(PolicyChange<UsageLimitPolicy>))]
[JsonSerializable(typeof(PolicyChange<RateLimitPolicy>))]
internal sealed partial class LimitPoliciesJsonContext : JsonSerializerContext;
