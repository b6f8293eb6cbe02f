using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Workspaces;

namespace PortkeyAdminMcp.Users;

/// <summary>The organisation user and invite tools (toolset users). All need an Admin key.</summary>
public static class UserTools
{
    private static readonly IReadOnlyDictionary<int, string> s_userHints = ToolHints.AdminOnly("organisation_users.*");

    private static readonly IReadOnlyDictionary<int, string> s_enterpriseUserHints = s_userHints.With(403,
        "This needs an Admin (organisation) API key with the organisation_users.* scope, and reading users is a Portkey " +
        "Enterprise feature: on other plans Portkey answers 403 whatever the key.");

    public static IServiceCollection AddUserTools(this IServiceCollection services) =>
        services.AddTools(ListUsers, GetUser, UpdateUser, DeleteUser, Invite, ListInvites, GetInvite, DeleteInvite, ResendInvite);

    public static readonly ToolDeclaration<Page<UserDetails>> ListUsers = new()
    {
        Name = "list_all_users",
        Title = "List organisation users",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Read,
        Description = _ => "List the organisation's users (id, email, role); filter by email or role to find one. Pages count from 0; the result has total and has_more.",
        Input = UserContracts.ListUsers,
        Output = static () => UsersJsonContext.Default.PageUserDetails,
        Hints = s_enterpriseUserHints,
        Plan = ToolSteps.Plan(UserRequests.ListUsers),
        Execute = ToolSteps.List(UsersJsonContext.Default.PageRecordUserRecord, UserDetails.From),
    };

    public static readonly ToolDeclaration<UserDetails> GetUser = new()
    {
        Name = "get_user",
        Title = "Get user",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Read,
        Description = _ => "Read an organisation user: email, role and the workspaces they belong to.",
        Input = UserContracts.GetUser,
        Output = static () => UsersJsonContext.Default.UserDetails,
        Hints = s_enterpriseUserHints,
        Plan = ToolSteps.Plan(args => UserRequests.GetUser(args.String("user_id")!)),
        Execute = ToolSteps.Read(UsersJsonContext.Default.UserRecord, UserDetails.From),
    };

    public static readonly ToolDeclaration<UserChange> UpdateUser = new()
    {
        Name = "update_user",
        Title = "Update user role",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change a user's organisation role (admin or member; Portkey's API changes nothing else, and no owner). " +
            "Reads the user first: an unchanged role is refused before sending. dry_run shows the request, sends nothing.",
        Input = UserContracts.UpdateUser,
        Output = static () => UsersJsonContext.Default.UserChange,
        Hints = s_userHints,
        Plan = async (call, cancellationToken) =>
        {
            var (user, role) = (call.Arguments.String("user_id")!, call.Arguments.String("role")!);
            var current = await call.Portkey.SendAsync(UserRequests.GetUser(user), UsersJsonContext.Default.UserRecord, cancellationToken);
            if (current.Role == "owner")
            {
                throw new ToolInputException([new FieldError("user_id", "is the organisation's owner, whose role Portkey does not let anyone change")]);
            }

            // Portkey answers an unchanged role with 400 AB01; say what is going on instead.
            return current.Role == role
                ? throw new ToolInputException([new FieldError("role", $"is already {role} for this user; nothing to change")])
                : UserRequests.UpdateUser(call.Arguments);
        },
        Execute = async (call, request, cancellationToken) =>
        {
            await call.Portkey.SendForEffectAsync(request, cancellationToken);
            var (after, message) = await call.Portkey.ReadBackAsync(UserRequests.GetUser(call.Arguments.String("user_id")!), UsersJsonContext.Default.UserRecord, cancellationToken);
            return new UserChange { Message = message, User = after is null ? null : UserDetails.From(after) };
        },
    };

    public static readonly ToolDeclaration<DeletedRecord> DeleteUser = new()
    {
        Name = "delete_user",
        Title = "Remove user from organisation",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Delete,
        Description = _ =>
            "Remove a user from the organisation and every workspace in it, at once. What becomes of their user keys is " +
            "not documented: list_api_keys first. dry_run shows the request, sends nothing.",
        Input = UserContracts.DeleteUser,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_userHints,
        Plan = ToolSteps.Plan(UserRequests.DeleteUser),
        Execute = ToolSteps.Send(call =>
        {
            var user = call.Arguments.String("user_id")!;
            return new DeletedRecord { Deleted = user, Message = $"User {user} removed from the organisation." };
        }),
    };

    public static readonly ToolDeclaration<SentInvite> Invite = new()
    {
        Name = "invite_user",
        Title = "Invite user",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Invite someone to the organisation and to workspaces (slug or UUID), optionally creating their user key " +
            "in the workspace. Portkey emails the link; the result has it too. dry_run shows the request, sends nothing.",
        Input = UserContracts.Invite,
        Output = static () => UsersJsonContext.Default.SentInvite,
        Hints = s_userHints,
        Plan = async (call, cancellationToken) =>
        {
            // The invite endpoint takes workspace slugs; a UUID is resolved to its slug first, so either works.
            var workspaces = new List<(string Slug, string Role)>();
            foreach (var workspace in call.Arguments.Get("workspaces")!.Value.EnumerateArray())
            {
                var (id, role) = (workspace.GetProperty("id").GetString()!, workspace.GetProperty("role").GetString()!);
                if (Guid.TryParseExact(id, "D", out _))
                {
                    var record = await call.Portkey.SendAsync(WorkspaceRequests.Get(id), WorkspacesJsonContext.Default.WorkspaceRecord, cancellationToken);
                    id = record.Slug ?? throw new PortkeyTransportException($"Portkey's answer for workspace {id} has no slug, which the invite needs. Nothing was sent.");
                }

                workspaces.Add((id, role));
            }

            return UserRequests.Invite(call.Arguments, workspaces);
        },
        Execute = async (call, request, cancellationToken) =>
        {
            var sent = await call.Portkey.SendAsync(request, UsersJsonContext.Default.InviteLinkRecord, cancellationToken);
            var email = call.Arguments.String("email");
            return new SentInvite
            {
                InviteId = sent.Id ?? throw new PortkeyTransportException(
                    $"Portkey accepted the invite but its answer has no id. It may have been sent: list_user_invites with email {email} before inviting again."),
                InviteLink = sent.InviteLink ?? sent.InviteLinkCamel,
                Message = $"Invite sent to {email}.",
            };
        },
    };

    public static readonly ToolDeclaration<Page<InviteDetails>> ListInvites = new()
    {
        Name = "list_user_invites",
        Title = "List invites",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Read,
        Description = _ => "List invites; filter by email, role or status (pending, accepted, expired, cancelled). Pages count from 0; the result has total and has_more.",
        Input = UserContracts.ListInvites,
        Output = static () => UsersJsonContext.Default.PageInviteDetails,
        Hints = s_enterpriseUserHints,
        Plan = ToolSteps.Plan(UserRequests.ListInvites),
        Execute = ToolSteps.List(UsersJsonContext.Default.PageRecordInviteRecord, InviteDetails.From),
    };

    public static readonly ToolDeclaration<InviteDetails> GetInvite = new()
    {
        Name = "get_user_invite",
        Title = "Get invite",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Read,
        Description = _ => "Read an invite: email, role, workspaces, status and expiry.",
        Input = UserContracts.Invitation,
        Output = static () => UsersJsonContext.Default.InviteDetails,
        Hints = s_userHints,
        Plan = ToolSteps.Plan(UserRequests.GetInvite),
        Execute = ToolSteps.Read(UsersJsonContext.Default.InviteRecord, InviteDetails.From),
    };

    public static readonly ToolDeclaration<DeletedRecord> DeleteInvite = new()
    {
        Name = "delete_user_invite",
        Title = "Delete invite",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Delete,
        Description = _ => "Withdraw an invite: its link stops working. dry_run shows the request, sends nothing.",
        Input = UserContracts.InvitationWrite,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_userHints,
        Plan = ToolSteps.Plan(UserRequests.DeleteInvite),
        Execute = ToolSteps.Send(call =>
        {
            var invite = call.Arguments.String("invite_id")!;
            return new DeletedRecord { Deleted = invite, Message = $"Invite {invite} withdrawn." };
        }),
    };

    public static readonly ToolDeclaration<SentInvite> ResendInvite = new()
    {
        Name = "resend_user_invite",
        Title = "Resend invite",
        Toolset = Toolsets.Users,
        Effect = ToolEffect.Create,
        Description = _ => "Email an invite again; the result has its link. dry_run shows the request, sends nothing.",
        Input = UserContracts.InvitationWrite,
        Output = static () => UsersJsonContext.Default.SentInvite,
        Hints = s_userHints,
        Plan = ToolSteps.Plan(UserRequests.ResendInvite),
        Execute = async (call, request, cancellationToken) =>
        {
            var sent = await call.Portkey.SendAsync(request, UsersJsonContext.Default.InviteLinkRecord, cancellationToken);
            var invite = call.Arguments.String("invite_id")!;
            return new SentInvite { InviteId = invite, InviteLink = sent.InviteLinkCamel ?? sent.InviteLink, Message = $"Invite {invite} sent again." };
        },
    };
}
