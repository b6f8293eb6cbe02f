using System.Text.Json.Serialization;

namespace PortkeyAdminMcp.Users;

/// <summary>An organisation user as GET /admin/users[/{id}] answers (reference §4). <c>workspace_ids</c> may hold slugs.</summary>
public sealed class UserRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("first_name")] public string? FirstName { get; set; }
    [JsonPropertyName("last_name")] public string? LastName { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("workspace_ids")] public List<string>? WorkspaceIds { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; set; }
}

/// <summary>
/// An invite as GET /admin/users/invites[/{id}] answers (reference §5). Its workspaces are not in the schema but in the
/// examples, keyed workspace_id there and id in the Terraform provider; both are read.
/// </summary>
public sealed class InviteRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("expires_at")] public string? ExpiresAt { get; set; }
    [JsonPropertyName("accepted_at")] public string? AcceptedAt { get; set; }
    [JsonPropertyName("invited_by")] public string? InvitedBy { get; set; }
    [JsonPropertyName("workspaces")] public List<InviteWorkspaceRecord>? Workspaces { get; set; }
}

public sealed class InviteWorkspaceRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("role")] public string? Role { get; set; }
}

/// <summary>POST /admin/users/invites answers <c>{id, invite_link}</c>; the resend answers <c>{inviteLink}</c>, in camelCase.</summary>
public sealed class InviteLinkRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("invite_link")] public string? InviteLink { get; set; }
    [JsonPropertyName("inviteLink")] public string? InviteLinkCamel { get; set; }
}
