using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>The virtual-key tools. Provider keys go to Portkey and nowhere else: never into a result or a log.</summary>
public sealed class VirtualKeyTools(ToolRunner runner, PortkeyClient portkey)
{
    [McpServerTool(Name = "create_virtual_key", Title = "Create virtual key", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description(
        "Store a provider API key in Portkey as a virtual key and return its slug, which requests and configs use " +
        "instead of the raw key. Portkey encrypts the provider key; neither Portkey nor this tool ever returns it. " +
        "azure-openai needs resource_name, deployment_name and api_version. credit_limit is in USD; alert_threshold " +
        "is a percentage of it. Limits apply at once. Portkey has deprecated virtual keys in favour of " +
        "Providers/Integrations; they still work.")]
    public Task<CallToolResult> CreateVirtualKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(VirtualKeyContracts.Create, context, async (args, ct) =>
        {
            var request = VirtualKeyRequests.Create(args);
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
