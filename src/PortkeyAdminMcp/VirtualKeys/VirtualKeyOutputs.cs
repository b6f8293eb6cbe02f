using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Limits;

namespace PortkeyAdminMcp.VirtualKeys;

public sealed class CreatedVirtualKey
{
    [JsonPropertyName("slug")] public required string Slug { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
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

    /// <summary>
    /// model_config fields known to hold no secret: routing and identity, never credentials. Every other field is
    /// masked whatever its name, spelling or type, because a deny-list of names would let an unknown one through
    /// (a service-account JSON, a token under a new name).
    /// </summary>
    private static readonly HashSet<string> s_plainModelConfigFields = new(StringComparer.Ordinal)
    {
        "resourceName", "deploymentName", "apiVersion", "deploymentConfig", "alias", "is_default",
        "azureAuthMode", "azureManagedClientId", "azureEntraTenantId", "azureEntraClientId", "azureModelName",
        "awsRegion", "awsAuthType", "awsRoleArn", "vertexRegion", "vertexProjectId", "workersAiAccountId",
        "customHost", "openaiOrganization", "openaiProject", "anthropicVersion", "anthropicBeta",
    };

    private static JsonElement MaskSecrets(JsonElement config) => config.ValueKind switch
    {
        JsonValueKind.Object => Schemas.JsonValues.Object(config.EnumerateObject().Select(member =>
            new KeyValuePair<string, JsonElement>(member.Name, s_plainModelConfigFields.Contains(member.Name)
                ? MaskSecrets(member.Value)
                : Schemas.JsonValues.String(Security.SecretRegistry.Mask)))),
        JsonValueKind.Array => Schemas.JsonValues.Array(config.EnumerateArray().Select(MaskSecrets)),
        _ => config,
    };
}

public sealed class UpdatedVirtualKey
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("updated_fields")] public required IReadOnlyList<string> UpdatedFields { get; init; }
    [JsonPropertyName("virtual_key")] public VirtualKeyDetails? VirtualKey { get; init; }
}
