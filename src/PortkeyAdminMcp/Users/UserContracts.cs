using System.Text.Json;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.Users;

/// <summary>The argument rules of the user and invite tools (reference §4, §5).</summary>
public static class UserContracts
{
    public static readonly string[] OrganisationRoles = ["owner", "admin", "member"];

    /// <summary>Owner is not assignable, by Portkey's API or by invite.</summary>
    public static readonly string[] AssignableRoles = ["admin", "member"];

    public static readonly string[] WorkspaceRoles = ["admin", "manager", "member"];
    public static readonly string[] InviteStatuses = ["pending", "cancelled", "accepted", "expired"];
    public const int MaxInviteWorkspaces = 50;

    private static StringSchema Email() => new() { Format = StringFormat.Email, MaxLength = EmailLength };

    public static readonly ToolContract ListUsers = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("page_size", PageSize()),
                new("current_page", CurrentPage()),
                new("role", new StringSchema { Enum = OrganisationRoles }),
                new("email", Email()),
            ],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract GetUser = new()
    {
        Input = new ObjectSchema { Properties = [new("user_id", Uuid())], Required = ["user_id"] },
    };

    public static readonly ToolContract UpdateUser = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("user_id", Uuid()),
                new("role", new StringSchema { Enum = AssignableRoles, Description = "Organisation role." }),
                new("dry_run", DryRun()),
            ],
            Required = ["user_id", "role"],
        },
    };

    public static readonly ToolContract DeleteUser = new()
    {
        Input = new ObjectSchema { Properties = [new("user_id", Uuid()), new("dry_run", DryRun())], Required = ["user_id"] },
    };

    public static readonly ToolContract Invite = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("email", Email()),
                new("role", new StringSchema { Enum = AssignableRoles, Description = "Organisation role." }),
                new("workspaces", new ArraySchema
                {
                    Description = "Workspaces to join, by slug or UUID.",
                    MinItems = 1,
                    MaxItems = MaxInviteWorkspaces,
                    Items = new ObjectSchema
                    {
                        Properties = [new("id", WorkspaceId()), new("role", new StringSchema { Enum = WorkspaceRoles })],
                        Required = ["id", "role"],
                    },
                }),
                new("workspace_api_key_details", new ObjectSchema
                {
                    Description = "Also create the invitee's user key in the workspace, with these scopes.",
                    Properties = [new("scopes", Scopes("As for create_api_key."))],
                    Required = ["scopes"],
                }),
                new("dry_run", DryRun()),
            ],
            Required = ["email", "role", "workspaces"],
        },
        Rules = UniqueWorkspaces,
    };

    public static readonly ToolContract ListInvites = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("page_size", PageSize()),
                new("current_page", CurrentPage()),
                new("role", new StringSchema { Enum = AssignableRoles }),
                new("email", Email()),
                new("status", new StringSchema { Enum = InviteStatuses }),
            ],
        },
        Rules = PagingRules,
    };

    /// <summary>Reading, deleting and resending an invite name it the same way.</summary>
    public static readonly ToolContract Invitation = new()
    {
        Input = new ObjectSchema { Properties = [new("invite_id", Uuid())], Required = ["invite_id"] },
    };

    public static readonly ToolContract InvitationWrite = new()
    {
        Input = new ObjectSchema { Properties = [new("invite_id", Uuid()), new("dry_run", DryRun())], Required = ["invite_id"] },
    };

    /// <summary>One role per workspace: a workspace twice would leave Portkey to pick a role.</summary>
    private static IEnumerable<FieldError> UniqueWorkspaces(ToolArguments args)
    {
        if (args.Get("workspaces") is not { ValueKind: JsonValueKind.Array } workspaces)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var workspace in workspaces.EnumerateArray())
        {
            if (ArgumentRules.Text(workspace, "id") is { } id && !seen.Add(id))
            {
                yield return new FieldError($"workspaces[{index}].id", "names a workspace already in the list");
            }

            index++;
        }
    }
}
