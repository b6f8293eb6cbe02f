using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Providers;

/// <summary>What a provider create or update returns: the provider as Portkey shows it afterwards.</summary>
public sealed class ProviderChange
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("updated_fields")] public IReadOnlyList<string>? UpdatedFields { get; init; }
    [JsonPropertyName("provider")] public VirtualKeyDetails? Provider { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProviderChange))]
internal sealed partial class ProvidersJsonContext : JsonSerializerContext;

/// <summary>
/// The provider tools (toolset providers): workspace-level instances of an integration, with their own budgets. Portkey
/// serves providers and virtual keys from one store (/providers aliases /virtual-keys), so they read as virtual keys do.
/// </summary>
public static class ProviderTools
{
    private static readonly IReadOnlyDictionary<int, string> s_hints = new Dictionary<int, string>
    {
        [403] = "The key needs the providers.* scope (Portkey may also ask for virtual_keys.*), and with an Admin key the " +
                "provider's workspace_id; or the provider is not in this key's workspace.",
        [400] = "Portkey rejected the request. With an Admin key, workspace_id (the workspace's UUID) is required; the " +
                "integration must be enabled for that workspace (update_integration_workspaces).",
    };

    public static IServiceCollection AddProviderTools(this IServiceCollection services) => services.AddTools(List, Get, Create, Update, Delete);

    public static readonly ToolDeclaration<Page<VirtualKeyDetails>> List = new()
    {
        Name = "list_providers",
        Title = "List providers",
        Toolset = Toolsets.Providers,
        Effect = ToolEffect.Read,
        Description = _ => "List a workspace's providers (use as @slug/model): integration, status, budget. Pages count from 0; the result has total and has_more.",
        Input = ProviderContracts.List,
        Output = static () => VirtualKeysJsonContext.Default.PageVirtualKeyDetails,
        Hints = s_hints,
        Plan = ToolSteps.Plan(ProviderRequests.List),
        Execute = ToolSteps.List(VirtualKeysJsonContext.Default.PageRecordVirtualKeyRecord, VirtualKeyDetails.From),
    };

    public static readonly ToolDeclaration<VirtualKeyDetails> Get = new()
    {
        Name = "get_provider",
        Title = "Get provider",
        Toolset = Toolsets.Providers,
        Effect = ToolEffect.Read,
        Description = _ => "Read a provider by slug: integration, status, limits, expiry. No credential is ever returned.",
        Input = ProviderContracts.Get,
        Output = static () => VirtualKeysJsonContext.Default.VirtualKeyDetails,
        Hints = s_hints,
        Plan = ToolSteps.Plan(ProviderRequests.Get),
        Execute = ToolSteps.Read(VirtualKeysJsonContext.Default.VirtualKeyRecord, VirtualKeyDetails.From),
    };

    public static readonly ToolDeclaration<ProviderChange> Create = new()
    {
        Name = "create_provider",
        Title = "Create provider",
        Toolset = Toolsets.Providers,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Create a provider in a workspace from an integration enabled there, with its own budget and rate limits " +
            "(as on keys: alert_threshold is a percent of credit_limit). dry_run shows the request, sends nothing.",
        Input = ProviderContracts.Create,
        Output = static () => ProvidersJsonContext.Default.ProviderChange,
        Hints = s_hints,
        Plan = ToolSteps.Plan(ProviderRequests.Create),
        Execute = async (call, request, cancellationToken) =>
        {
            var slug = VirtualKeyTools.ReadSlug(await call.Portkey.SendAsync(request, cancellationToken)) ?? throw new PortkeyTransportException(
                "Portkey accepted the provider but its answer has no slug. It may exist: list_providers before creating another.");
            return new ProviderChange { Slug = slug, Message = $"Provider created. Use it as @{slug}/<model> in requests." };
        },
    };

    public static readonly ToolDeclaration<ProviderChange> Update = new()
    {
        Name = "update_provider",
        Title = "Update provider",
        Toolset = Toolsets.Providers,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change a provider. Only given fields change; null clears. Limits are merged with the current ones (read " +
            "first), as in update_api_key. Returns it read back. dry_run shows the request, sends nothing.",
        Input = ProviderContracts.Update,
        Output = static () => ProvidersJsonContext.Default.ProviderChange,
        Hints = s_hints,
        Plan = async (call, cancellationToken) =>
        {
            var args = call.Arguments;
            var current = ProviderRequests.UpdateNeedsCurrent(args)
                ? await call.Portkey.SendAsync(ProviderRequests.Get(args), VirtualKeysJsonContext.Default.VirtualKeyRecord, cancellationToken)
                : null;
            var errors = new List<FieldError>();
            var request = ProviderRequests.Update(args, current, errors);
            return errors.Count > 0 ? throw new ToolInputException(errors) : request;
        },
        Execute = ToolSteps.SendAndReadBack(ProviderRequests.Get, VirtualKeysJsonContext.Default.VirtualKeyRecord, (call, message, after) => new ProviderChange
        {
            Message = message,
            Slug = call.Arguments.String("slug"),
            UpdatedFields = call.ChangedFields("slug", "workspace_id"),
            Provider = after is null ? null : VirtualKeyDetails.From(after),
        }),
    };

    public static readonly ToolDeclaration<DeletedRecord> Delete = new()
    {
        Name = "delete_provider",
        Title = "Delete provider",
        Toolset = Toolsets.Providers,
        Effect = ToolEffect.Delete,
        Description = _ =>
            "Delete a provider: requests that use @slug fail from then on. The integration stays. dry_run shows the " +
            "request, sends nothing.",
        Input = ProviderContracts.Delete,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_hints,
        Plan = ToolSteps.Plan(ProviderRequests.Delete),
        Execute = ToolSteps.Send(call =>
        {
            var slug = call.Arguments.String("slug")!;
            return new DeletedRecord { Deleted = slug, Message = $"Provider {slug} deleted." };
        }),
    };
}
