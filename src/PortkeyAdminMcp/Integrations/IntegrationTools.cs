using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Integrations;

/// <summary>
/// The integrations toolset: organisation-level provider credentials, which models they allow, and which workspaces
/// may use them with what budget. Successors of virtual keys, with providers (toolset providers) made from them.
/// </summary>
public static class IntegrationTools
{
    private static readonly IReadOnlyDictionary<int, string> s_hints = new Dictionary<int, string>
    {
        [403] = "The key needs organisation_integrations.* (or workspace_integrations.* for a workspace integration); a workspace key " +
                "may only list organisation integrations. Some reads (get, models, workspaces) are Portkey Enterprise features.",
        [400] = "Portkey rejected the integration. Most providers need a key (or a secret mapping for key); Azure needs " +
                "azure_resource_name, azure_deployment_config and azure_auth_mode; Bedrock aws_auth_type and aws_region; Vertex " +
                "vertex_auth_type and vertex_region.",
        [404] = "No integration with this slug: list_integrations shows them.",
    };

    public static IServiceCollection AddIntegrationTools(this IServiceCollection services) =>
        services.AddTools(List, Get, Create, Update, Delete, ListModels, UpdateModels, DeleteModel, ListWorkspaces, UpdateWorkspaces);

    public static readonly ToolDeclaration<Page<IntegrationDetails>> List = new()
    {
        Name = "list_integrations",
        Title = "List integrations",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Read,
        Description = _ => "List provider integrations (organisation-wide and workspace ones), optionally those a workspace may use. Pages count from 0.",
        Input = IntegrationContracts.List,
        Output = static () => IntegrationsJsonContext.Default.PageIntegrationDetails,
        Hints = s_hints,
        Plan = ToolSteps.Plan(IntegrationRequests.List),
        Execute = ToolSteps.List(IntegrationsJsonContext.Default.PageRecordIntegrationRecord, IntegrationDetails.From),
    };

    public static readonly ToolDeclaration<IntegrationDetails> Get = new()
    {
        Name = "get_integration",
        Title = "Get integration",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Read,
        Description = _ => "Read an integration: provider, masked key, configurations (credentials masked), secret mappings, workspace count.",
        Input = IntegrationContracts.BySlug,
        Output = static () => IntegrationsJsonContext.Default.IntegrationDetails,
        Hints = s_hints,
        Plan = ToolSteps.Plan(IntegrationRequests.Get),
        Execute = ToolSteps.Read(IntegrationsJsonContext.Default.IntegrationRecord, IntegrationDetails.From),
    };

    public static readonly ToolDeclaration<IntegrationChange> Create = new()
    {
        Name = "create_integration",
        Title = "Create integration",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Store a provider's credentials once for the organisation (or one workspace): then enable it for workspaces " +
            "(update_integration_workspaces) and make providers from it. key and credentials in configurations are secrets. " +
            "dry_run shows the request, sends nothing.",
        Input = IntegrationContracts.Create,
        Output = static () => IntegrationsJsonContext.Default.IntegrationChange,
        Hints = s_hints,
        Plan = ToolSteps.Checked((call, errors) => IntegrationRequests.Create(call.Arguments, call.Service<KeyReferences>(), errors)),
        Execute = async (call, request, cancellationToken) =>
        {
            var created = await call.Portkey.SendAsync(request, IntegrationsJsonContext.Default.CreatedIntegrationRecord, cancellationToken);
            var slug = created.Slug ?? throw new PortkeyTransportException(
                "Portkey accepted the integration but its answer has no slug. It may exist: list_integrations before creating another.");
            return new IntegrationChange { Slug = slug, Message = $"Integration created: slug \"{slug}\". Enable it for workspaces with update_integration_workspaces." };
        },
    };

    public static readonly ToolDeclaration<IntegrationChange> Update = new()
    {
        Name = "update_integration",
        Title = "Update integration",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change an integration's name, description, key, configurations, secret mappings or pricing; provider, slug and " +
            "workspace never change. Returns it read back. dry_run shows the request, sends nothing.",
        Input = IntegrationContracts.Update,
        Output = static () => IntegrationsJsonContext.Default.IntegrationChange,
        Hints = s_hints,
        Plan = ToolSteps.Checked((call, errors) => IntegrationRequests.Update(call.Arguments, call.Service<KeyReferences>(), errors)),
        Execute = ToolSteps.SendAndReadBack(IntegrationRequests.Get, IntegrationsJsonContext.Default.IntegrationRecord, (call, message, after) => new IntegrationChange
        {
            Message = message,
            Slug = call.Arguments.String("slug"),
            UpdatedFields = call.ChangedFields("slug"),
            Integration = after is null ? null : IntegrationDetails.From(after),
        }),
    };

    public static readonly ToolDeclaration<DeletedRecord> Delete = new()
    {
        Name = "delete_integration",
        Title = "Delete integration",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Delete,
        Description = _ =>
            "Delete an integration and its stored credentials: every workspace loses access, and providers made from it " +
            "can no longer call the provider. dry_run shows the request, sends nothing.",
        Input = IntegrationContracts.Delete,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_hints,
        Plan = ToolSteps.Plan(IntegrationRequests.Delete),
        Execute = ToolSteps.Send(call => new DeletedRecord
        {
            Deleted = call.Arguments.String("slug")!,
            Message = $"Integration {call.Arguments.String("slug")} deleted, with its credentials and every workspace's access.",
        }),
    };

    public static readonly ToolDeclaration<Page<IntegrationModel>> ListModels = new()
    {
        Name = "list_integration_models",
        Title = "List integration models",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Read,
        Description = _ => "List an integration's models and whether each is enabled. Portkey returns them all; this pages them (from 0).",
        Input = IntegrationContracts.ListChildren,
        Output = static () => IntegrationsJsonContext.Default.PageIntegrationModel,
        Hints = s_hints,
        Plan = ToolSteps.Plan(IntegrationRequests.Models),
        Execute = async (call, request, cancellationToken) =>
        {
            var answer = await call.Portkey.SendAsync(request, IntegrationsJsonContext.Default.IntegrationModelsRecord, cancellationToken);
            return LocalPage(call, answer.Models ?? [], IntegrationModel.From);
        },
    };

    public static readonly ToolDeclaration<IntegrationChange> UpdateModels = new()
    {
        Name = "update_integration_models",
        Title = "Update integration models",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Enable or disable an integration's models, or add custom ones. Reads the current list first: the result (and " +
            "dry_run) says which models are newly enabled, disabled or added.",
        Input = IntegrationContracts.UpdateModels,
        Output = static () => IntegrationsJsonContext.Default.IntegrationChange,
        Hints = s_hints,
        Plan = async (call, cancellationToken) => IntegrationRequests.UpdateModels(call.Arguments,
            await call.Portkey.SendAsync(IntegrationRequests.Models(call.Arguments), IntegrationsJsonContext.Default.IntegrationModelsRecord, cancellationToken)),
        Execute = Changed("Models updated."),
    };

    public static readonly ToolDeclaration<DeletedRecord> DeleteModel = new()
    {
        Name = "delete_integration_model",
        Title = "Delete integration model",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Delete,
        Description = _ => "Delete a custom model from an integration (built-in models are disabled with update_integration_models). dry_run shows the request.",
        Input = IntegrationContracts.DeleteModel,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_hints,
        Plan = ToolSteps.Plan(IntegrationRequests.DeleteModel),
        Execute = ToolSteps.Send(call => new DeletedRecord
        {
            Deleted = call.Arguments.String("model_slug")!,
            Message = $"Custom model {call.Arguments.String("model_slug")} deleted from {call.Arguments.String("slug")}.",
        }),
    };

    public static readonly ToolDeclaration<Page<IntegrationWorkspaceAccess>> ListWorkspaces = new()
    {
        Name = "list_integration_workspaces",
        Title = "List integration workspaces",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Read,
        Description = _ => "List which workspaces may use an integration (by slug) and their budgets and rate limits. Paged here, from 0.",
        Input = IntegrationContracts.ListChildren,
        Output = static () => IntegrationsJsonContext.Default.PageIntegrationWorkspaceAccess,
        Hints = s_hints,
        Plan = ToolSteps.Plan(IntegrationRequests.Workspaces),
        Execute = async (call, request, cancellationToken) =>
        {
            var answer = await call.Portkey.SendAsync(request, IntegrationsJsonContext.Default.IntegrationWorkspacesRecord, cancellationToken);
            return LocalPage(call, answer.Workspaces ?? [], IntegrationWorkspaceAccess.From);
        },
    };

    public static readonly ToolDeclaration<IntegrationChange> UpdateWorkspaces = new()
    {
        Name = "update_integration_workspaces",
        Title = "Update integration workspaces",
        Toolset = Toolsets.Integrations,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Give workspaces access to an integration, or take it away, each with a budget and rate limits as on keys " +
            "(alert_threshold a percent; limits not given are kept). Reads the current access first: the result (and dry_run) " +
            "says which workspaces gain or lose access.",
        Input = IntegrationContracts.UpdateWorkspaces,
        Output = static () => IntegrationsJsonContext.Default.IntegrationChange,
        Hints = s_hints,
        Plan = async (call, cancellationToken) =>
        {
            var args = call.Arguments;
            var current = await call.Portkey.SendAsync(IntegrationRequests.Workspaces(args), IntegrationsJsonContext.Default.IntegrationWorkspacesRecord, cancellationToken);
            // Portkey keys this list by workspace slug: a UUID is looked up, once each.
            var slugs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (_, entry) in IntegrationContracts.Entries(args))
            {
                if (entry.String("id") is { } id && StringSchema.IsUuid(id) && !slugs.ContainsKey(id))
                {
                    var workspace = await call.Portkey.SendAsync(IntegrationRequests.WorkspaceLookup(id), IntegrationsJsonContext.Default.WorkspaceSlugRecord, cancellationToken);
                    slugs[id] = workspace.Slug ?? id;
                }
            }

            var errors = new List<FieldError>();
            var request = IntegrationRequests.UpdateWorkspaces(args, current, id => slugs.GetValueOrDefault(id, id), errors);
            return errors.Count > 0 ? throw new ToolInputException(errors) : request;
        },
        Execute = Changed("Workspace access updated."),
    };


    /// <summary>A list update: sent, and answered with what it changed (computed from the read before it).</summary>
    private static Func<ToolCall, PortkeyRequest, CancellationToken, Task<IntegrationChange>> Changed(string message) =>
        async (call, request, cancellationToken) =>
        {
            await call.Portkey.SendForEffectAsync(request, cancellationToken);
            return new IntegrationChange
            {
                Message = message,
                Slug = call.Arguments.String("slug"),
                Changes = request.Changes is null ? null : JsonSerializer.SerializeToElement<System.Text.Json.Nodes.JsonNode>(request.Changes, CallsJsonContext.Default.JsonNode),
            };
        };

    /// <summary>Portkey returns these lists whole; the tool pages them so an agent's context holds one page.</summary>
    private static Page<TItem> LocalPage<TRecord, TItem>(ToolCall call, List<TRecord> all, Func<TRecord, TItem> shape)
    {
        var size = call.Arguments.Integer("page_size") ?? 100;
        var page = call.Arguments.Integer("current_page") ?? 0;
        var items = all.Skip((int)Math.Min(int.MaxValue, page * size)).Take((int)size).Select(shape).ToList();
        return Page.From(items, all.Count, size, page);
    }
}
