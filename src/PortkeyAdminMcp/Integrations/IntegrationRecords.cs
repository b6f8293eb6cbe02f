using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Integrations;

/// <summary>An integration as Portkey answers a list or a get (reference §6.4).</summary>
public sealed class IntegrationRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("slug")] public string? Slug { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("ai_provider_id")] public string? AiProviderId { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("masked_key")] public string? MaskedKey { get; set; }
    [JsonPropertyName("configurations")] public JsonElement? Configurations { get; set; }
    [JsonPropertyName("allow_all_models")] public bool? AllowAllModels { get; set; }
    [JsonPropertyName("workspace_count")] public double? WorkspaceCount { get; set; }
    [JsonPropertyName("secret_mappings")] public JsonElement? SecretMappings { get; set; }
    [JsonPropertyName("global_workspace_access_settings")] public JsonElement? GlobalWorkspaceAccess { get; set; }
    [JsonPropertyName("pricing_adjustments")] public JsonElement? PricingAdjustments { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; set; }
}

public sealed class CreatedIntegrationRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("slug")] public string? Slug { get; set; }
}

/// <summary>GET …/models answers {total, models} and takes no paging (reference §6.5).</summary>
public sealed class IntegrationModelsRecord
{
    [JsonPropertyName("total")] public double? Total { get; set; }
    [JsonPropertyName("allow_all_models")] public bool? AllowAllModels { get; set; }
    [JsonPropertyName("models")] public List<IntegrationModelRecord>? Models { get; set; }
}

public sealed class IntegrationModelRecord
{
    [JsonPropertyName("slug")] public string? Slug { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("enabled")] public JsonElement? Enabled { get; set; }
    [JsonPropertyName("is_custom")] public JsonElement? IsCustom { get; set; }
    [JsonPropertyName("is_finetune")] public JsonElement? IsFinetune { get; set; }
    [JsonPropertyName("base_model_slug")] public string? BaseModelSlug { get; set; }
    [JsonPropertyName("pricing_config")] public JsonElement? PricingConfig { get; set; }
}

/// <summary>GET …/workspaces answers {total, workspaces}; each id is the workspace's slug (reference §6.6).</summary>
public sealed class IntegrationWorkspacesRecord
{
    [JsonPropertyName("total")] public double? Total { get; set; }
    [JsonPropertyName("workspaces")] public List<IntegrationWorkspaceRecord>? Workspaces { get; set; }
}

public sealed class IntegrationWorkspaceRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("enabled")] public JsonElement? Enabled { get; set; }

    [JsonPropertyName("usage_limits")]
    [JsonConverter(typeof(OneOrManyConverter<UsageLimitsRecord>))]
    public List<UsageLimitsRecord>? UsageLimits { get; set; }

    [JsonPropertyName("rate_limits")]
    [JsonConverter(typeof(OneOrManyConverter<RateLimitRecord>))]
    public List<RateLimitRecord>? RateLimits { get; set; }
}

/// <summary>Only what a workspace lookup needs: its slug, which the integration's access list is keyed by.</summary>
public sealed class WorkspaceSlugRecord
{
    [JsonPropertyName("slug")] public string? Slug { get; set; }
}

/// <summary>An integration as the tools show it: no credential, configurations masked but for fields known to hold none.</summary>
public sealed class IntegrationDetails
{
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("ai_provider_id")] public string? AiProviderId { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [JsonPropertyName("masked_key")] public string? MaskedKey { get; init; }
    [JsonPropertyName("configurations")] public JsonElement? Configurations { get; init; }
    [JsonPropertyName("allow_all_models")] public bool? AllowAllModels { get; init; }
    [JsonPropertyName("workspace_count")] public double? WorkspaceCount { get; init; }
    [JsonPropertyName("secret_mappings")] public JsonElement? SecretMappings { get; init; }
    [JsonPropertyName("global_workspace_access")] public JsonElement? GlobalWorkspaceAccess { get; init; }
    [JsonPropertyName("pricing_adjustments")] public JsonElement? PricingAdjustments { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; init; }

    public static IntegrationDetails From(IntegrationRecord record) => new()
    {
        Slug = record.Slug,
        Id = record.Id,
        Name = record.Name,
        AiProviderId = record.AiProviderId,
        Status = record.Status,
        Description = record.Description,
        Type = record.Type,
        WorkspaceId = record.WorkspaceId,
        MaskedKey = record.MaskedKey,
        Configurations = record.Configurations is { ValueKind: JsonValueKind.Object } configurations ? Masked(configurations) : null,
        AllowAllModels = record.AllowAllModels,
        WorkspaceCount = record.WorkspaceCount,
        SecretMappings = Present(record.SecretMappings),
        GlobalWorkspaceAccess = Present(record.GlobalWorkspaceAccess),
        PricingAdjustments = Present(record.PricingAdjustments),
        CreatedAt = record.CreatedAt,
        LastUpdatedAt = record.LastUpdatedAt,
    };

    private static JsonElement? Present(JsonElement? value) => value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } present ? present : null;

    /// <summary>
    /// Portkey renames the credentials it returns masked_…; whatever it sends, only fields known to hold no secret are
    /// shown, the rest masked, so a new credential field cannot slip through.
    /// </summary>
    private static JsonElement Masked(JsonElement configurations) => JsonValues.Object(configurations.EnumerateObject().Select(member =>
        new KeyValuePair<string, JsonElement>(member.Name, IntegrationContracts.PlainConfigurationFields.Contains(member.Name)
            ? member.Value.Clone()
            : JsonValues.String(SecretRegistry.Mask))));
}

public sealed class IntegrationModel
{
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("is_custom")] public bool? IsCustom { get; init; }
    [JsonPropertyName("is_finetune")] public bool? IsFinetune { get; init; }
    [JsonPropertyName("base_model_slug")] public string? BaseModelSlug { get; init; }
    [JsonPropertyName("pricing_config")] public JsonElement? PricingConfig { get; init; }

    public static IntegrationModel From(IntegrationModelRecord record) => new()
    {
        Slug = record.Slug,
        Name = record.Name,
        Enabled = Flag(record.Enabled),
        IsCustom = Flag(record.IsCustom),
        IsFinetune = Flag(record.IsFinetune),
        BaseModelSlug = record.BaseModelSlug,
        PricingConfig = record.PricingConfig is { ValueKind: JsonValueKind.Object } pricing ? pricing : null,
    };

    /// <summary>Portkey sends these flags as a boolean, a number or a string (reference §6.5): read all three.</summary>
    public static bool? Flag(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.Number } number => number.GetDouble() != 0,
        { ValueKind: JsonValueKind.String } text => text.GetString() is "true" or "1" or "True" ? true : text.GetString() is "false" or "0" or "False" ? false : null,
        _ => null,
    };
}

public sealed class IntegrationWorkspaceAccess
{
    [JsonPropertyName("workspace")] public string? Workspace { get; init; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("usage_limits")] public IReadOnlyList<UsageLimitsDetails> UsageLimits { get; init; } = [];
    [JsonPropertyName("rate_limits")] public IReadOnlyList<RateLimitDetails> RateLimits { get; init; } = [];

    public static IntegrationWorkspaceAccess From(IntegrationWorkspaceRecord record) => new()
    {
        Workspace = record.Id,
        Enabled = IntegrationModel.Flag(record.Enabled),
        UsageLimits = [.. (record.UsageLimits ?? []).Select(UsageLimitsDetails.From).OfType<UsageLimitsDetails>()],
        RateLimits = RateLimitDetails.From(record.RateLimits),
    };
}

/// <summary>What a write returns: the integration, and for list updates what was read before and what changed.</summary>
public sealed class IntegrationChange
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("updated_fields")] public IReadOnlyList<string>? UpdatedFields { get; init; }
    [JsonPropertyName("changes")] public JsonElement? Changes { get; init; }
    [JsonPropertyName("integration")] public IntegrationDetails? Integration { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IntegrationRecord))]
[JsonSerializable(typeof(CreatedIntegrationRecord))]
[JsonSerializable(typeof(PageRecord<IntegrationRecord>))]
[JsonSerializable(typeof(IntegrationModelsRecord))]
[JsonSerializable(typeof(IntegrationWorkspacesRecord))]
[JsonSerializable(typeof(WorkspaceSlugRecord))]
[JsonSerializable(typeof(IntegrationDetails))]
[JsonSerializable(typeof(Page<IntegrationDetails>))]
[JsonSerializable(typeof(Page<IntegrationModel>))]
[JsonSerializable(typeof(Page<IntegrationWorkspaceAccess>))]
[JsonSerializable(typeof(IntegrationChange))]
internal sealed partial class IntegrationsJsonContext : JsonSerializerContext;
