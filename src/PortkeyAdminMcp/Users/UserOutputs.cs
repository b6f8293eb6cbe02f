using System.Text.Json.Serialization;

namespace PortkeyAdminMcp.Users;

public sealed class UserDetails
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public string? LastName { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("workspace_ids")] public IReadOnlyList<string>? WorkspaceIds { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; init; }

    public static UserDetails From(UserRecord record) => new()
    {
        Id = record.Id,
        Email = record.Email,
        FirstName = record.FirstName,
        LastName = record.LastName,
        Role = record.Role,
        WorkspaceIds = record.WorkspaceIds,
        CreatedAt = record.CreatedAt,
        LastUpdatedAt = record.LastUpdatedAt,
    };
}

public sealed class InviteDetails
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("workspaces")] public IReadOnlyList<InviteWorkspace>? Workspaces { get; init; }
    [JsonPropertyName("invited_by")] public string? InvitedBy { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("expires_at")] public string? ExpiresAt { get; init; }
    [JsonPropertyName("accepted_at")] public string? AcceptedAt { get; init; }

    public static InviteDetails From(InviteRecord record) => new()
    {
        Id = record.Id,
        Email = record.Email,
        Role = record.Role,
        Status = record.Status,
        Workspaces = record.Workspaces?.Select(w => new InviteWorkspace { Workspace = w.WorkspaceId ?? w.Id, Role = w.Role }).ToList(),
        InvitedBy = record.InvitedBy,
        CreatedAt = record.CreatedAt,
        ExpiresAt = record.ExpiresAt,
        AcceptedAt = record.AcceptedAt,
    };
}

public sealed class InviteWorkspace
{
    [JsonPropertyName("workspace")] public string? Workspace { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
}

public sealed class UserChange
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("user")] public UserDetails? User { get; init; }
}

/// <summary>A sent invite: its id and the link Portkey also emails to the invitee.</summary>
public sealed class SentInvite
{
    [JsonPropertyName("invite_id")] public required string InviteId { get; init; }
    [JsonPropertyName("invite_link")] public string? InviteLink { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}
