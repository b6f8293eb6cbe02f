using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.Workspaces;

/// <summary>
/// A workspace as Portkey answers GET /admin/workspaces[/{id}] (reference §2.3). Read as live answers are, not as the
/// OpenAPI says: <c>id</c> is a UUID beside a separate <c>slug</c>, <c>is_default</c> is a top-level 0/1 while
/// <c>defaults</c> is often null, limits are null or arrays, and only the single read carries <c>users</c>.
/// </summary>
public sealed class WorkspaceRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("slug")] public string? Slug { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; set; }

    [JsonPropertyName("is_default")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? IsDefault { get; set; }

    [JsonPropertyName("defaults")] public WorkspaceDefaultsRecord? Defaults { get; set; }

    [JsonPropertyName("usage_limits")]
    [JsonConverter(typeof(OneOrManyConverter<UsageLimitsRecord>))]
    public List<UsageLimitsRecord>? UsageLimits { get; set; }

    [JsonPropertyName("rate_limits")]
    [JsonConverter(typeof(OneOrManyConverter<RateLimitRecord>))]
    public List<RateLimitRecord>? RateLimits { get; set; }

    [JsonPropertyName("users")] public List<WorkspaceMemberRecord>? Users { get; set; }
}

public sealed class WorkspaceDefaultsRecord
{
    [JsonPropertyName("metadata")] public Dictionary<string, JsonElement>? Metadata { get; set; }
    [JsonPropertyName("input_guardrails")] public List<string>? InputGuardrails { get; set; }
    [JsonPropertyName("output_guardrails")] public List<string>? OutputGuardrails { get; set; }
    [JsonPropertyName("user_api_key_config")] public string? UserApiKeyConfig { get; set; }

    [JsonPropertyName("is_default")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? IsDefault { get; set; }
}

/// <summary>
/// A member as GET /admin/workspaces/{id}/users[/{userId}] answers (reference §3): the single read may omit <c>id</c>
/// and prefix <c>role</c> with <c>ws-</c>; members embedded in a workspace have no email.
/// </summary>
public sealed class WorkspaceMemberRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("first_name")] public string? FirstName { get; set; }
    [JsonPropertyName("last_name")] public string? LastName { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("org_role")] public string? OrgRole { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("scopes")] public List<string>? Scopes { get; set; }
}
