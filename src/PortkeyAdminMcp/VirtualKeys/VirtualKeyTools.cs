using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.VirtualKeys;

/// <summary>The virtual-key tools. Provider keys go to Portkey and nowhere else: never into a result or a log.</summary>
public static class VirtualKeyTools
{
    public const string Toolset = "keys";

    private const string Deprecation =
        " Deprecated by Portkey in favour of Providers/Integrations; existing virtual keys keep working.";

    public static IServiceCollection AddVirtualKeyTools(this IServiceCollection services) =>
        services.AddTools(Create, Get, List, Update, Delete);

    public static readonly ToolDeclaration<CreatedVirtualKey> Create = new()
    {
        Name = "create_virtual_key",
        Title = "Create virtual key",
        Toolset = Toolset,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Store a provider API key as a Portkey virtual key and return its slug, used in requests and configs " +
            "instead of the key. The key is encrypted and never returned. azure-openai needs resource_name plus " +
            "deployment_name and api_version, or deployment_config. alert_threshold is a percent of credit_limit. " +
            "dry_run shows the request (key masked), sends nothing." + Deprecation,
        Input = VirtualKeyContracts.Create,
        Output = static () => VirtualKeysJsonContext.Default.CreatedVirtualKey,
        Plan = ToolSteps.Checked((call, errors) => VirtualKeyRequests.Create(call.Arguments, call.Service<KeyReferences>(), errors)),
        Execute = async (call, request, cancellationToken) =>
        {
            var answer = await call.Portkey.SendAsync(request, cancellationToken);
            var slug = ReadSlug(answer) ?? throw new PortkeyTransportException(
                "Portkey accepted the virtual key but its answer has no slug. It may exist: list virtual keys before creating another.");
            return new CreatedVirtualKey
            {
                Slug = slug,
                Name = call.Arguments.String("name")!,
                Provider = call.Arguments.String("provider")!,
                Message = $"Virtual key created. Use \"{slug}\" as the virtual key in requests and configs.",
            };
        },
    };

    public static readonly ToolDeclaration<VirtualKeyDetails> Get = new()
    {
        Name = "get_virtual_key",
        Title = "Get virtual key",
        Toolset = Toolset,
        Effect = ToolEffect.Read,
        Description = _ =>
            "Read a virtual key by slug: provider, status, limits, expiry, model_config (secrets masked). The provider " +
            "key is never returned." + Deprecation,
        Input = VirtualKeyContracts.Get,
        Output = static () => VirtualKeysJsonContext.Default.VirtualKeyDetails,
        Plan = ToolSteps.Plan(args => VirtualKeyRequests.Get(args.String("slug")!)),
        Execute = ToolSteps.Read(VirtualKeysJsonContext.Default.VirtualKeyRecord, VirtualKeyDetails.From),
    };

    public static readonly ToolDeclaration<Page<VirtualKeyDetails>> List = new()
    {
        Name = "list_virtual_keys",
        Title = "List virtual keys",
        Toolset = Toolset,
        Effect = ToolEffect.Read,
        Description = _ => "List virtual keys, provider keys never shown. Pages count from 0; the result has total and has_more." + Deprecation,
        Input = VirtualKeyContracts.List,
        Output = static () => VirtualKeysJsonContext.Default.PageVirtualKeyDetails,
        Plan = ToolSteps.Plan(VirtualKeyRequests.List),
        Execute = ToolSteps.List(VirtualKeysJsonContext.Default.PageRecordVirtualKeyRecord, VirtualKeyDetails.From),
    };

    public static readonly ToolDeclaration<UpdatedVirtualKey> Update = new()
    {
        Name = "update_virtual_key",
        Title = "Update virtual key",
        Toolset = Toolset,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change a virtual key. Only given fields change; null clears. Limits are merged with the current ones " +
            "(read first), as in update_api_key. Takes effect at once. Returns the key read back." + Deprecation,
        Input = VirtualKeyContracts.Update,
        Output = static () => VirtualKeysJsonContext.Default.UpdatedVirtualKey,
        Plan = async (call, cancellationToken) =>
        {
            var args = call.Arguments;
            var current = VirtualKeyRequests.UpdateNeedsCurrent(args)
                ? await call.Portkey.SendAsync(VirtualKeyRequests.Get(args.String("slug")!), VirtualKeysJsonContext.Default.VirtualKeyRecord, cancellationToken)
                : null;
            var errors = new List<FieldError>();
            var request = VirtualKeyRequests.Update(args, current, errors, call.Service<KeyReferences>());
            return errors.Count > 0 ? throw new ToolInputException(errors) : request;
        },
        Execute = async (call, request, cancellationToken) =>
        {
            // Portkey's answer to this PUT is undocumented; the record is read back instead.
            await call.Portkey.SendForEffectAsync(request, cancellationToken);
            var (after, message) = await call.Portkey.ReadBackAsync(VirtualKeyRequests.Get(call.Arguments.String("slug")!), VirtualKeysJsonContext.Default.VirtualKeyRecord, cancellationToken);
            return new UpdatedVirtualKey { Message = message, UpdatedFields = call.ChangedFields("slug"), VirtualKey = after is null ? null : VirtualKeyDetails.From(after) };
        },
    };

    public static readonly ToolDeclaration<DeletedRecord> Delete = new()
    {
        Name = "delete_virtual_key",
        Title = "Delete virtual key",
        Toolset = Toolset,
        Effect = ToolEffect.Delete,
        Description = _ =>
            "Delete a virtual key: requests and configs using it fail from then on. Cannot be undone. dry_run shows " +
            "the request, sends nothing." + Deprecation,
        Input = VirtualKeyContracts.Delete,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Plan = ToolSteps.Plan(VirtualKeyRequests.Delete),
        Execute = ToolSteps.Send(call =>
        {
            var slug = call.Arguments.String("slug")!;
            return new DeletedRecord { Deleted = slug, Message = $"Virtual key {slug} deleted." };
        }),
    };

    /// <summary>The documented answer is <c>{success, data:{slug}}</c>; the SDKs and live service give <c>{id, slug, object}</c>.</summary>
    public static string? ReadSlug(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object &&
            data.TryGetProperty("slug", out var nested) && nested.ValueKind == JsonValueKind.String)
        {
            return nested.GetString();
        }

        return answer.TryGetProperty("slug", out var flat) && flat.ValueKind == JsonValueKind.String ? flat.GetString() : null;
    }
}
