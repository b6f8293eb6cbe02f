using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Limits;

namespace PortkeyAdminMcp.Workspaces;

/// <summary>A workspace as the tools show it: one shape whichever answer it came from.</summary>
public sealed class WorkspaceDetails
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("is_default")] public bool? IsDefault { get; init; }
    [JsonPropertyName("metadata")] public Dictionary<string, JsonElement>? Metadata { get; init; }
    [JsonPropertyName("input_guardrails")] public IReadOnlyList<string>? InputGuardrails { get; init; }
    [JsonPropertyName("output_guardrails")] public IReadOnlyList<string>? OutputGuardrails { get; init; }
    [JsonPropertyName("user_api_key_config")] public string? UserApiKeyConfig { get; init; }
    [JsonPropertyName("usage_limits")] public IReadOnlyList<UsageLimitsDetails> UsageLimits { get; init; } = [];
    [JsonPropertyName("rate_limits")] public IReadOnlyList<RateLimitDetails> RateLimits { get; init; } = [];
    [JsonPropertyName("members")] public IReadOnlyList<WorkspaceMemberDetails>? Members { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; init; }

    public static WorkspaceDetails From(WorkspaceRecord record) => new()
    {
        Id = record.Id,
        Slug = record.Slug,
        Name = record.Name,
        Description = record.Description,
        Status = record.Status,
        // Live answers put is_default at the top; the OpenAPI puts it under defaults.
        IsDefault = record.IsDefault ?? record.Defaults?.IsDefault,
        Metadata = record.Defaults?.Metadata is { Count: > 0 } metadata ? metadata : null,
        InputGuardrails = record.Defaults?.InputGuardrails,
        OutputGuardrails = record.Defaults?.OutputGuardrails,
        UserApiKeyConfig = record.Defaults?.UserApiKeyConfig,
        UsageLimits = [.. (record.UsageLimits ?? []).Select(UsageLimitsDetails.From).OfType<UsageLimitsDetails>()],
        RateLimits = RateLimitDetails.From(record.RateLimits),
        Members = record.Users?.Select(member => WorkspaceMemberDetails.From(member, null)).ToList(),
        CreatedAt = record.CreatedAt,
        LastUpdatedAt = record.LastUpdatedAt,
    };
}

/// <summary>A workspace member, with the role as it is assigned (Portkey's single read may say ws-admin for admin).</summary>
public sealed class WorkspaceMemberDetails
{
    [JsonPropertyName("user_id")] public string? UserId { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public string? LastName { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("org_role")] public string? OrgRole { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }

    /// <param name="userId">The id the call asked for, where the answer leaves it out.</param>
    public static WorkspaceMemberDetails From(WorkspaceMemberRecord record, string? userId) => new()
    {
        UserId = record.Id ?? userId,
        Email = record.Email,
        FirstName = record.FirstName,
        LastName = record.LastName,
        Role = record.Role is { } role && role.StartsWith("ws-", StringComparison.Ordinal) ? role[3..] : record.Role,
        OrgRole = record.OrgRole,
        Status = record.Status,
        WorkspaceId = record.WorkspaceId,
        CreatedAt = record.CreatedAt,
    };
}

public sealed class WorkspaceChange
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("updated_fields")] public IReadOnlyList<string>? UpdatedFields { get; init; }
    [JsonPropertyName("workspace")] public WorkspaceDetails? Workspace { get; init; }
}

public sealed class MemberChange
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("member")] public WorkspaceMemberDetails? Member { get; init; }
}
