using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.SecretReferences;

/// <summary>
/// The secret-references toolset: pointers to provider credentials kept in the customer's own vault (AWS Secrets
/// Manager, Azure Key Vault, HashiCorp Vault). Portkey stores the pointer and how to reach the vault; the gateway
/// fetches the secret when a request needs it. Integrations use one with ${secret:ID#field} as their key.
/// </summary>
public static class SecretReferenceTools
{
    private static readonly IReadOnlyDictionary<int, string> s_hints = ToolHints.EnterpriseOnly("Secret references", "secret_references.*")
        .With(400, "Portkey rejected it: a duplicate slug, allowed_workspaces that do not exist, or (on delete) a reference still used by an " +
                   "integration or virtual key — remove it from those (update_integration secret_mappings) first.")
        .With(404, "No secret reference with this id or slug: list_secret_references shows them.");

    public static IServiceCollection AddSecretReferenceTools(this IServiceCollection services) => services.AddTools(List, Get, Create, Update, Delete);

    public static readonly ToolDeclaration<Page<SecretReferenceDetails>> List = new()
    {
        Name = "list_secret_references",
        Title = "List secret references",
        Toolset = Toolsets.SecretReferences,
        Effect = ToolEffect.Read,
        Description = _ => "List references to secrets in your own vault, by manager_type, tags or name. No credential is returned. Pages count from 0.",
        Input = SecretReferenceContracts.List,
        Output = static () => SecretReferencesJsonContext.Default.PageSecretReferenceDetails,
        Hints = s_hints,
        Plan = ToolSteps.Plan(SecretReferenceRequests.List),
        Execute = ToolSteps.List(SecretReferencesJsonContext.Default.PageRecordSecretReferenceRecord, SecretReferenceDetails.From),
    };

    public static readonly ToolDeclaration<SecretReferenceDetails> Get = new()
    {
        Name = "get_secret_reference",
        Title = "Get secret reference",
        Toolset = Toolsets.SecretReferences,
        Effect = ToolEffect.Read,
        Description = _ => "Read a secret reference: manager, path, key, workspaces, and auth_config with every credential masked.",
        Input = SecretReferenceContracts.ById,
        Output = static () => SecretReferencesJsonContext.Default.SecretReferenceDetails,
        Hints = s_hints,
        Plan = ToolSteps.Plan(SecretReferenceRequests.Get),
        Execute = ToolSteps.Read(SecretReferencesJsonContext.Default.SecretReferenceRecord, SecretReferenceDetails.From),
    };

    public static readonly ToolDeclaration<SecretReferenceChange> Create = new()
    {
        Name = "create_secret_reference",
        Title = "Create secret reference",
        Toolset = Toolsets.SecretReferences,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Point Portkey at a secret in your vault: manager_type, auth_config to reach the vault (its credentials are " +
            "secrets; each may be ${env:NAME}), secret_path. Use it in an integration's key as ${secret:ID#field}. dry_run shows the request.",
        Input = SecretReferenceContracts.Create,
        Output = static () => SecretReferencesJsonContext.Default.SecretReferenceChange,
        Hints = s_hints,
        Plan = ToolSteps.Checked((call, errors) => SecretReferenceRequests.Create(call.Arguments, call.Service<KeyReferences>(), errors)),
        Execute = async (call, request, cancellationToken) =>
        {
            var created = await call.Portkey.SendAsync(request, SecretReferencesJsonContext.Default.CreatedSecretReferenceRecord, cancellationToken);
            var id = created.Id ?? throw new PortkeyTransportException(
                "Portkey accepted the secret reference but its answer has no id. It may exist: list_secret_references before creating another.");
            return new SecretReferenceChange { Id = id, Slug = created.Slug, Message = $"Secret reference created: use it as ${{secret:{created.Slug ?? id}}}." };
        },
    };

    public static readonly ToolDeclaration<SecretReferenceChange> Update = new()
    {
        Name = "update_secret_reference",
        Title = "Update secret reference",
        Toolset = Toolsets.SecretReferences,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change a secret reference; auth_config merges field by field into the stored one (its manager never changes). " +
            "allow_all_workspaces true removes the workspace list. Returns it read back. dry_run shows the request.",
        Input = SecretReferenceContracts.Update,
        Output = static () => SecretReferencesJsonContext.Default.SecretReferenceChange,
        Hints = s_hints,
        Plan = async (call, cancellationToken) =>
        {
            var errors = new List<FieldError>();
            if (call.Arguments.Has("auth_config"))
            {
                // The stored manager decides which fields fit: read it, and check the new ones against it.
                var current = await call.Portkey.SendAsync(SecretReferenceRequests.Get(call.Arguments), SecretReferencesJsonContext.Default.SecretReferenceRecord, cancellationToken);
                if (current.ManagerType is { } manager && SecretReferenceContracts.Managers.ContainsKey(manager))
                {
                    errors.AddRange(SecretReferenceContracts.AuthRules(call.Arguments, manager, complete: false));
                }
            }

            var request = SecretReferenceRequests.Update(call.Arguments, call.Service<KeyReferences>(), errors);
            return errors.Count > 0 ? throw new ToolInputException(errors) : request;
        },
        Execute = ToolSteps.SendAndReadBack(SecretReferenceRequests.Get, SecretReferencesJsonContext.Default.SecretReferenceRecord, (call, message, after) => new SecretReferenceChange
        {
            Message = message,
            Id = call.Arguments.String("id"),
            UpdatedFields = call.ChangedFields("id"),
            SecretReference = after is null ? null : SecretReferenceDetails.From(after),
        }),
    };

    public static readonly ToolDeclaration<DeletedRecord> Delete = new()
    {
        Name = "delete_secret_reference",
        Title = "Delete secret reference",
        Toolset = Toolsets.SecretReferences,
        Effect = ToolEffect.Delete,
        Description = _ => "Delete a secret reference (the secret in your vault stays). Portkey refuses while an integration or virtual key uses it. dry_run shows the request.",
        Input = SecretReferenceContracts.Delete,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_hints,
        Plan = ToolSteps.Plan(SecretReferenceRequests.Delete),
        Execute = ToolSteps.Send(call => new DeletedRecord
        {
            Deleted = call.Arguments.String("id")!,
            Message = $"Secret reference {call.Arguments.String("id")} deleted; the secret in your vault is untouched.",
        }),
    };

}
