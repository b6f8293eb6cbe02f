namespace PortkeyAdminMcp.Tests.Fixtures;

/// <summary>
/// Workspace, member, user and invite answers in the shapes the reference records (§2.3 live, §3–§5 OpenAPI): live
/// workspaces have a UUID id beside a slug, top-level is_default, null defaults and limits, members without email.
/// </summary>
public static class LiveWorkspace
{
    public const string Id = "6e5a9f93-ae3a-46b4-a87d-2464d373ef7e";
    public const string Slug = "ws-ml-team-4a1c";
    public const string UserId = "a1f0c3d2-5b6e-4f70-8a9b-0c1d2e3f4a5b";
    public const string InviteId = "0f9e8d7c-6b5a-4948-8372-615243546f70";

    /// <summary>GET /admin/workspaces/{id}: settings, users (no email), defaults null, is_default top-level.</summary>
    public const string Get = """
        {"id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","slug":"ws-ml-team-4a1c","name":"🚀 ML Team","description":"Models in training","created_at":"2026-02-06T04:05:18.000Z",
         "last_updated_at":"2026-06-11T09:00:00.000Z","defaults":null,"is_default":0,"usage_limits":null,"rate_limits":null,"icon":"🚀",
         "security_settings":{"membersViewLogs":true,"managersWriteWsIntegrations":false},"object":"workspace",
         "settings":{"debug_log":1,"user_api_key_ttl":-1},"organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11",
         "users":[{"first_name":"Alice","last_name":"Ng","org_role":"member","role":"admin","status":"active","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e",
                   "id":"a1f0c3d2-5b6e-4f70-8a9b-0c1d2e3f4a5b","created_at":"2026-03-01T10:00:00.000Z","last_updated_at":"2026-03-01T10:00:00.000Z"}]}
        """;

    /// <summary>GET /admin/workspaces: status and scim_source_id, no users.</summary>
    public const string List = """
        {"total":2,"object":"list","data":[
         {"id":"11111111-2222-4333-8444-555555555555","slug":"shared-team-workspace","name":"Shared Team Workspace","is_default":1,"defaults":null,
          "usage_limits":null,"rate_limits":null,"status":"active","scim_source_id":null,"object":"workspace"},
         {"id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","slug":"ws-ml-team-4a1c","name":"🚀 ML Team","is_default":0,"status":"active",
          "usage_limits":[{"type":"cost","credit_limit":500,"alert_threshold":400,"periodic_reset":"monthly"}],
          "rate_limits":[{"type":"requests","unit":"rpm","value":100}],"object":"workspace"}]}
        """;

    /// <summary>GET /admin/workspaces/{id}/users/{userId}: no id, role prefixed ws-.</summary>
    public const string Member = """
        {"object":"workspace-user","first_name":"Alice","last_name":"Ng","org_role":"member","role":"ws-manager","status":"active",
         "workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","email":"alice@example.com","created_at":"2026-03-01T10:00:00.000Z","settings":null}
        """;

    public const string Members = """
        {"total":1,"object":"list","data":[{"object":"workspace-user","id":"a1f0c3d2-5b6e-4f70-8a9b-0c1d2e3f4a5b","first_name":"Alice","last_name":"Ng",
         "org_role":"member","role":"admin","status":"active","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","email":"alice@example.com",
         "scopes":["logs.view"],"created_at":"2026-03-01T10:00:00.000Z"}]}
        """;

    public const string User = """
        {"object":"user","id":"a1f0c3d2-5b6e-4f70-8a9b-0c1d2e3f4a5b","first_name":"Alice","last_name":"Ng","role":"member","email":"alice@example.com",
         "created_at":"2024-01-25 11:35:07","last_updated_at":"2024-01-25 11:35:07","workspace_ids":["ws-ml-team-4a1c"]}
        """;

    public const string UserList = """
        {"total":1,"object":"list","data":[{"object":"user","id":"a1f0c3d2-5b6e-4f70-8a9b-0c1d2e3f4a5b","first_name":"Alice","last_name":"Ng",
         "role":"member","email":"alice@example.com","workspace_ids":["ws-ml-team-4a1c"]}]}
        """;

    public const string Invite = """
        {"object":"invite","id":"0f9e8d7c-6b5a-4948-8372-615243546f70","email":"bob@example.com","role":"member","created_at":"2026-11-30T10:00:00.000Z",
         "expires_at":"2026-12-07T10:00:00.000Z","accepted_at":null,"status":"pending","invited_by":"a1f0c3d2-5b6e-4f70-8a9b-0c1d2e3f4a5b",
         "workspaces":[{"workspace_id":"ws-ml-team-4a1c","role":"member"}]}
        """;
}
