using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Workspaces;

/// <summary>The workspace and workspace-member tools (toolset workspaces). Workspaces are a Portkey Enterprise feature.</summary>
public static class WorkspaceTools
{
    private static readonly IReadOnlyDictionary<int, string> s_workspaceHints = ToolHints.EnterpriseOnly("Workspaces", "workspaces.*");
    private static readonly IReadOnlyDictionary<int, string> s_memberHints = ToolHints.EnterpriseOnly("Workspaces", "workspace_users.*");

    public static IServiceCollection AddWorkspaceTools(this IServiceCollection services) =>
        services.AddTools(List, Get, Create, Update, Delete, ListMembers, GetMember, AddMember, UpdateMember, RemoveMember);

    public static readonly ToolDeclaration<Page<WorkspaceDetails>> List = new()
    {
        Name = "list_workspaces",
        Title = "List workspaces",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Read,
        Description = _ => "List workspaces: id, slug, name, limits. Filter by name or status. Pages count from 0; the result has total and has_more.",
        Input = WorkspaceContracts.List,
        Output = static () => WorkspacesJsonContext.Default.PageWorkspaceDetails,
        Hints = s_workspaceHints,
        Plan = ToolSteps.Plan(WorkspaceRequests.List),
        Execute = ToolSteps.List(WorkspacesJsonContext.Default.PageRecordWorkspaceRecord, WorkspaceDetails.From),
    };

    public static readonly ToolDeclaration<WorkspaceDetails> Get = new()
    {
        Name = "get_workspace",
        Title = "Get workspace",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Read,
        Description = _ => "Read a workspace by UUID or slug: defaults, limits and members.",
        Input = WorkspaceContracts.Get,
        Output = static () => WorkspacesJsonContext.Default.WorkspaceDetails,
        Hints = s_workspaceHints,
        Plan = ToolSteps.Plan(args => WorkspaceRequests.Get(args.String("workspace_id")!)),
        Execute = ToolSteps.Read(WorkspacesJsonContext.Default.WorkspaceRecord, WorkspaceDetails.From),
    };

    public static readonly ToolDeclaration<WorkspaceChange> Create = new()
    {
        Name = "create_workspace",
        Title = "Create workspace",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Create a workspace, optionally with members, a budget and rate limits (as on keys: alert_threshold is a " +
            "percent of credit_limit). Portkey picks the slug. Needs an Admin key. dry_run shows the request, sends nothing.",
        Input = WorkspaceContracts.Create,
        Output = static () => WorkspacesJsonContext.Default.WorkspaceChange,
        Hints = s_workspaceHints,
        Plan = ToolSteps.Plan(WorkspaceRequests.Create),
        Execute = async (call, request, cancellationToken) =>
        {
            var created = await call.Portkey.SendAsync(request, WorkspacesJsonContext.Default.WorkspaceRecord, cancellationToken);
            if (created.Id is null && created.Slug is null)
            {
                throw new PortkeyTransportException(
                    "Portkey accepted the workspace but its answer has no id. It may exist: list_workspaces before creating another.");
            }

            return new WorkspaceChange
            {
                Message = $"Workspace created: use workspace_id \"{created.Id ?? created.Slug}\".",
                Workspace = WorkspaceDetails.From(created),
            };
        },
    };

    public static readonly ToolDeclaration<WorkspaceChange> Update = new()
    {
        Name = "update_workspace",
        Title = "Update workspace",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change a workspace. Only given fields change; defaults and limits are merged with the current ones (read " +
            "first), as in update_api_key. Returns the workspace read back. dry_run shows the request, sends nothing.",
        Input = WorkspaceContracts.Update,
        Output = static () => WorkspacesJsonContext.Default.WorkspaceChange,
        Hints = s_workspaceHints,
        Plan = async (call, cancellationToken) =>
        {
            var args = call.Arguments;
            var current = WorkspaceRequests.UpdateNeedsCurrent(args)
                ? await call.Portkey.SendAsync(WorkspaceRequests.Get(args.String("workspace_id")!), WorkspacesJsonContext.Default.WorkspaceRecord, cancellationToken)
                : null;
            var errors = new List<FieldError>();
            var request = WorkspaceRequests.Update(args, current, errors);
            return errors.Count > 0 ? throw new ToolInputException(errors) : request;
        },
        Execute = async (call, request, cancellationToken) =>
        {
            await call.Portkey.SendForEffectAsync(request, cancellationToken);
            // Portkey answers {} and may show new limits a moment late; the result is what it shows now.
            var (after, message) = await call.Portkey.ReadBackAsync(WorkspaceRequests.Get(call.Arguments.String("workspace_id")!), WorkspacesJsonContext.Default.WorkspaceRecord, cancellationToken);
            return new WorkspaceChange { Message = message, UpdatedFields = call.ChangedFields("workspace_id"), Workspace = after is null ? null : WorkspaceDetails.From(after) };
        },
    };

    public static readonly ToolDeclaration<DeletedRecord> Delete = new()
    {
        Name = "delete_workspace",
        Title = "Delete workspace",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Delete,
        Description = _ =>
            "Delete a workspace for good. Portkey refuses while it still holds API keys, virtual keys/providers, configs " +
            "or shared prompts; this tool never forces a cascade. The default workspace cannot be deleted. dry_run shows " +
            "the request, sends nothing.",
        Input = WorkspaceContracts.Delete,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_workspaceHints.With(409,
            "Portkey will not delete a workspace that still holds resources. Delete or move them first: its API keys " +
            "(list_api_keys with this workspace_id), virtual keys or providers, configs and prompts."),
        Plan = async (call, cancellationToken) =>
        {
            var workspace = call.Arguments.String("workspace_id")!;
            // Portkey's delete must repeat the workspace's name: read it, which also lets the approver see which one.
            var current = await call.Portkey.SendAsync(WorkspaceRequests.GetPlainName(workspace), WorkspacesJsonContext.Default.WorkspaceRecord, cancellationToken);
            if (current.IsDefault == true || current.Defaults?.IsDefault == true)
            {
                throw new ToolInputException([new FieldError("workspace_id", "is the organisation's default workspace, which Portkey does not let anyone delete")]);
            }

            return current.Name is { Length: > 0 } name
                ? WorkspaceRequests.Delete(workspace, name)
                : throw new PortkeyTransportException($"Portkey's answer for workspace {workspace} has no name, which its delete needs. Nothing was deleted.");
        },
        Execute = ToolSteps.Send(call =>
        {
            var workspace = call.Arguments.String("workspace_id")!;
            return new DeletedRecord { Deleted = workspace, Message = $"Workspace {workspace} deleted." };
        }),
    };

    public static readonly ToolDeclaration<Page<WorkspaceMemberDetails>> ListMembers = new()
    {
        Name = "list_workspace_members",
        Title = "List workspace members",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Read,
        Description = _ => "List a workspace's members with their roles; filter by role or email. Pages of 50 unless page_size says; the result has total and has_more.",
        Input = WorkspaceContracts.ListMembers,
        Output = static () => WorkspacesJsonContext.Default.PageWorkspaceMemberDetails,
        Hints = s_memberHints,
        Plan = ToolSteps.Plan(WorkspaceRequests.ListMembers),
        Execute = ToolSteps.List(WorkspacesJsonContext.Default.PageRecordWorkspaceMemberRecord, member => WorkspaceMemberDetails.From(member, null), WorkspaceContracts.MemberPageSize),
    };

    public static readonly ToolDeclaration<WorkspaceMemberDetails> GetMember = new()
    {
        Name = "get_workspace_member",
        Title = "Get workspace member",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Read,
        Description = _ => "Read one member of a workspace: role, org role, status.",
        Input = WorkspaceContracts.GetMember,
        Output = static () => WorkspacesJsonContext.Default.WorkspaceMemberDetails,
        Hints = s_memberHints,
        Plan = ToolSteps.Plan(WorkspaceRequests.GetMember),
        Execute = async (call, request, cancellationToken) => WorkspaceMemberDetails.From(
            await call.Portkey.SendAsync(request, WorkspacesJsonContext.Default.WorkspaceMemberRecord, cancellationToken), call.Arguments.String("user_id")),
    };

    public static readonly ToolDeclaration<MemberChange> AddMember = new()
    {
        Name = "add_workspace_member",
        Title = "Add workspace member",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Give an organisation user a role in a workspace. The user must already be in the organisation (invite_user " +
            "first). dry_run shows the request, sends nothing.",
        Input = WorkspaceContracts.SetMember,
        Output = static () => WorkspacesJsonContext.Default.MemberChange,
        Hints = s_memberHints,
        Plan = ToolSteps.Plan(WorkspaceRequests.AddMember),
        Execute = (call, request, cancellationToken) => ChangeMemberAsync(call, request, "Added", cancellationToken),
    };

    public static readonly ToolDeclaration<MemberChange> UpdateMember = new()
    {
        Name = "update_workspace_member",
        Title = "Update workspace member",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Update,
        Description = _ => "Change a member's role in a workspace; takes effect at once. dry_run shows the request, sends nothing.",
        Input = WorkspaceContracts.SetMember,
        Output = static () => WorkspacesJsonContext.Default.MemberChange,
        Hints = s_memberHints,
        Plan = ToolSteps.Plan(WorkspaceRequests.UpdateMember),
        Execute = (call, request, cancellationToken) => ChangeMemberAsync(call, request, "Updated", cancellationToken),
    };

    public static readonly ToolDeclaration<DeletedRecord> RemoveMember = new()
    {
        Name = "remove_workspace_member",
        Title = "Remove workspace member",
        Toolset = Toolsets.Workspaces,
        Effect = ToolEffect.Delete,
        Description = _ =>
            "Remove a user from a workspace: they lose access to it and what it holds, at once (they stay in the " +
            "organisation). dry_run shows the request, sends nothing.",
        Input = WorkspaceContracts.RemoveMember,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_memberHints,
        Plan = ToolSteps.Plan(WorkspaceRequests.RemoveMember),
        Execute = ToolSteps.Send(call =>
        {
            var (workspace, user) = (call.Arguments.String("workspace_id")!, call.Arguments.String("user_id")!);
            return new DeletedRecord { Deleted = user, Message = $"User {user} removed from workspace {workspace}; they no longer have access to it." };
        }),
    };

    /// <summary>Portkey answers a member change with {}: the member is read back so the result shows the role it has now.</summary>
    private static async Task<MemberChange> ChangeMemberAsync(ToolCall call, PortkeyRequest request, string verb, CancellationToken cancellationToken)
    {
        await call.Portkey.SendForEffectAsync(request, cancellationToken);
        var (after, message) = await call.Portkey.ReadBackAsync(WorkspaceRequests.GetMember(call.Arguments), WorkspacesJsonContext.Default.WorkspaceMemberRecord, cancellationToken);
        var (workspace, user, role) = (call.Arguments.String("workspace_id"), call.Arguments.String("user_id"), call.Arguments.String("role"));
        return new MemberChange
        {
            Message = after is null ? message.Replace("Updated", verb, StringComparison.Ordinal) : $"{verb}: user {user} is {role} in workspace {workspace}.",
            Member = after is null ? null : WorkspaceMemberDetails.From(after, user),
        };
    }
}
