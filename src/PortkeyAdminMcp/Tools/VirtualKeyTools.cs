using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>The virtual-key tools. Provider keys go to Portkey and nowhere else: never into a result or a log.</summary>
public sealed class VirtualKeyTools(ToolRunner runner, PortkeyClient portkey, KeyReferences references)
{
    private const string Deprecation =
        " Deprecated by Portkey in favour of Providers/Integrations; existing virtual keys keep working.";

    [McpServerTool(Name = "create_virtual_key", Title = "Create virtual key", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description(
        "Store a provider API key as a Portkey virtual key and return its slug, used in requests and configs " +
        "instead of the key. The key is encrypted and never returned. azure-openai needs resource_name plus " +
        "deployment_name and api_version, or deployment_config. alert_threshold is a percent of credit_limit. " +
        "dry_run shows the request (key masked), sends nothing." + Deprecation)]
    public Task<CallToolResult> CreateVirtualKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(VirtualKeyContracts.Create, context,
            (args, _) =>
            {
                var errors = new List<FieldError>();
                var request = VirtualKeyRequests.Create(args, references, errors);
                return errors.Count > 0 ? throw new ToolInputException(errors) : Task.FromResult(request);
            },
            async (args, request, ct) =>
            {
                var answer = await portkey.SendAsync(request, ct);
                var slug = ReadSlug(answer) ?? throw new PortkeyTransportException(
                    "Portkey accepted the virtual key but its answer has no slug. It may exist: list virtual keys before creating another.");

                return ToolResults.Success(new CreatedVirtualKey
                {
                    Slug = slug,
                    Name = args.String("name")!,
                    Provider = args.String("provider")!,
                    Message = $"Virtual key created. Use \"{slug}\" as the virtual key in requests and configs.",
                }, ToolJsonContext.Default.CreatedVirtualKey);
            }, cancellationToken);

    [McpServerTool(Name = "get_virtual_key", Title = "Get virtual key", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description(
        "Read a virtual key by slug: provider, status, limits, expiry, model_config (secrets masked). The provider " +
        "key is never returned." + Deprecation)]
    public Task<CallToolResult> GetVirtualKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(VirtualKeyContracts.Get, context,
            (args, _) => Task.FromResult(VirtualKeyRequests.Get(args.String("slug")!)),
            async (_, request, ct) => ToolResults.Success(
                VirtualKeyDetails.From(await portkey.SendAsync(request, PortkeyJsonContext.Default.VirtualKeyRecord, ct)),
                ToolJsonContext.Default.VirtualKeyDetails),
            cancellationToken);

    [McpServerTool(Name = "list_virtual_keys", Title = "List virtual keys", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description(
        "List virtual keys, provider keys never shown. Pages count from 0; the result has total and has_more." + Deprecation)]
    public Task<CallToolResult> ListVirtualKeys(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(VirtualKeyContracts.List, context,
            (args, _) => Task.FromResult(VirtualKeyRequests.List(args)),
            async (args, request, ct) =>
            {
                var page = await portkey.SendAsync(request, PortkeyJsonContext.Default.PageRecordVirtualKeyRecord, ct);
                var items = (page.Data ?? []).Select(VirtualKeyDetails.From).ToList();
                return ToolResults.Success(Page.From(items, page.Total, args.Integer("page_size"), args.Integer("current_page") ?? 0),
                    ToolJsonContext.Default.PageVirtualKeyDetails);
            }, cancellationToken);

    [McpServerTool(Name = "update_virtual_key", Title = "Update virtual key", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description(
        "Change a virtual key. Only given fields change; null clears. Limits are merged with the current ones " +
        "(read first), as in update_api_key. Takes effect at once. Returns the key read back." + Deprecation)]
    public Task<CallToolResult> UpdateVirtualKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(VirtualKeyContracts.Update, context,
            async (args, ct) =>
            {
                var current = VirtualKeyRequests.UpdateNeedsCurrent(args)
                    ? await portkey.SendAsync(VirtualKeyRequests.Get(args.String("slug")!), PortkeyJsonContext.Default.VirtualKeyRecord, ct)
                    : null;
                var errors = new List<FieldError>();
                var request = VirtualKeyRequests.Update(args, current, errors, references);
                return errors.Count > 0 ? throw new ToolInputException(errors) : request;
            },
            async (args, request, ct) =>
            {
                // Portkey's answer to this PUT is undocumented; the record is read back instead.
                await portkey.SendAsync(request, ct);
                var (after, message) = await portkey.ReadBackAsync(VirtualKeyRequests.Get(args.String("slug")!), PortkeyJsonContext.Default.VirtualKeyRecord, ct);
                return ToolResults.Success(new UpdatedVirtualKey
                {
                    Message = message,
                    UpdatedFields = ApiKeyTools.ChangedFields(args, "slug"),
                    VirtualKey = after is null ? null : VirtualKeyDetails.From(after),
                },
                    ToolJsonContext.Default.UpdatedVirtualKey);
            }, cancellationToken);

    [McpServerTool(Name = "delete_virtual_key", Title = "Delete virtual key", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description(
        "Delete a virtual key: requests and configs using it fail from then on. Cannot be undone. dry_run shows " +
        "the request, sends nothing." + Deprecation)]
    public Task<CallToolResult> DeleteVirtualKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(VirtualKeyContracts.Delete, context,
            (args, _) => Task.FromResult(VirtualKeyRequests.Delete(args)),
            async (args, request, ct) =>
            {
                await portkey.SendAsync(request, ct);
                var slug = args.String("slug")!;
                return ToolResults.Success(new DeletedRecord { Deleted = slug, Message = $"Virtual key {slug} deleted." },
                    ToolJsonContext.Default.DeletedRecord);
            }, cancellationToken);

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
