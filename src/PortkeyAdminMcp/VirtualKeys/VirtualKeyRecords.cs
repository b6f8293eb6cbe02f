using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Limits;

namespace PortkeyAdminMcp.VirtualKeys;

/// <summary>
/// A virtual key as Portkey returns it. GET and list differ for the same record: GET says
/// <c>ai_provider_name</c>, <c>masked_api_key</c> and <c>key: ""</c>, list says <c>provider</c>;
/// <c>model_config</c> and <c>rate_limits</c> are <c>{}</c>/<c>[]</c> on GET and null in lists.
/// The <c>key</c> field is deliberately not modelled: nothing here may carry a provider secret.
/// </summary>
public sealed class VirtualKeyRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("slug")] public string? Slug { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("note")] public string? Note { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("provider")] public string? Provider { get; set; }
    [JsonPropertyName("ai_provider_name")] public string? AiProviderName { get; set; }
    [JsonPropertyName("masked_api_key")] public string? MaskedApiKey { get; set; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("workspace_name")] public string? WorkspaceName { get; set; }
    [JsonPropertyName("integration_id")] public string? IntegrationId { get; set; }
    [JsonPropertyName("usage_limits")] public UsageLimitsRecord? UsageLimits { get; set; }
    [JsonPropertyName("rate_limits")]
    [JsonConverter(typeof(Portkey.OneOrManyConverter<RateLimitRecord>))]
    public List<RateLimitRecord>? RateLimits { get; set; }
    [JsonPropertyName("reset_usage")] public double? ResetUsage { get; set; }
    [JsonPropertyName("expires_at")] public string? ExpiresAt { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_reset_at")] public string? LastResetAt { get; set; }
    [JsonPropertyName("model_config")] public JsonElement? ModelConfig { get; set; }
    [JsonPropertyName("tags")] public JsonElement? Tags { get; set; }
}
