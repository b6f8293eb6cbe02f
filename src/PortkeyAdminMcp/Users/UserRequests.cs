using System.Text.Json.Nodes;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Users;

/// <summary>Validated user and invite arguments → the exact Portkey request (reference §4, §5). All under /admin/users.</summary>
public static class UserRequests
{
    private const string Admin = "admin";
    private const string Users = "users";
    private const string Invites = "invites";

    /// <summary>The user endpoints spell paging in camelCase (pageSize, currentPage), unlike the rest of the API.</summary>
    public static PortkeyRequest ListUsers(ToolArguments args) =>
        PortkeyRequest.Get([Admin, Users], PageQuery.Filtered(args, PageNaming.Camel, null, "role", "email"));

    public static PortkeyRequest GetUser(string user) => PortkeyRequest.Get([Admin, Users, user]);

    /// <summary>Portkey's user update takes the role only (reference §4).</summary>
    public static PortkeyRequest UpdateUser(ToolArguments args) =>
        PortkeyRequest.Put([Admin, Users, args.String("user_id")!], new JsonObject { ["role"] = args.String("role") });

    public static PortkeyRequest DeleteUser(ToolArguments args) => PortkeyRequest.Delete([Admin, Users, args.String("user_id")!]);

    /// <param name="slugs">Each workspace of the invite by slug, which is what the invite endpoint takes.</param>
    public static PortkeyRequest Invite(ToolArguments args, IReadOnlyList<(string Slug, string Role)> slugs)
    {
        var body = new JsonObject
        {
            ["email"] = args.String("email"),
            ["role"] = args.String("role"),
            ["workspaces"] = new JsonArray([.. slugs.Select(w => (JsonNode)new JsonObject { ["id"] = w.Slug, ["role"] = w.Role })]),
        };
        if (args.Get("workspace_api_key_details") is { } details)
        {
            body["workspace_api_key_details"] = new JsonObject { ["scopes"] = JsonNode.Parse(details.GetProperty("scopes").GetRawText()) };
        }

        return PortkeyRequest.Post([Admin, Users, Invites], body);
    }

    public static PortkeyRequest ListInvites(ToolArguments args) =>
        PortkeyRequest.Get([Admin, Users, Invites], PageQuery.Filtered(args, PageNaming.Camel, null, "role", "email", "status"));

    public static PortkeyRequest GetInvite(ToolArguments args) => PortkeyRequest.Get([Admin, Users, Invites, args.String("invite_id")!]);

    public static PortkeyRequest DeleteInvite(ToolArguments args) => PortkeyRequest.Delete([Admin, Users, Invites, args.String("invite_id")!]);

    public static PortkeyRequest ResendInvite(ToolArguments args) => PortkeyRequest.Post([Admin, Users, Invites, args.String("invite_id")!, "resend"], null);
}
