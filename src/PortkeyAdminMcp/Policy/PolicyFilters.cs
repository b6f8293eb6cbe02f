using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Audit;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Policy;

/// <summary>
/// The policy's part that works on the tool list and around every call: hidden tools (toolsets switched off, the
/// policy's hide list, and in read-only mode every tool that can change Portkey) are neither listed nor callable, and every call, refused
/// or not, leaves one audit line.
/// </summary>
public static class PolicyFilters
{
    public const string ReadOnlyRule = "(read-only)";

    public static IMcpServerBuilder WithPolicy(this IMcpServerBuilder builder) => builder.WithRequestFilters(filters =>
    {
        filters.AddListToolsFilter(next => async (context, cancellationToken) =>
        {
            var result = await next(context, cancellationToken);
            var services = context.Services!;
            result.Tools = [.. result.Tools.Where(tool => HiddenBecause(services, tool.Name, IsReadOnly(tool)) is null)];
            // Only what is listed gets its schemas built: a switched-off toolset costs nothing, at start-up or here.
            var catalog = services.GetRequiredService<ToolCatalog>();
            foreach (var tool in result.Tools)
            {
                catalog.Complete(tool.Name);
            }

            return result;
        });
        filters.AddCallToolFilter(next => async (context, cancellationToken) =>
        {
            var services = context.Services!;
            var name = context.Params?.Name ?? string.Empty;
            services.GetRequiredService<ToolCatalog>().Complete(name);
            var record = new CallRecord(JsonValues.Clean(name), services.GetRequiredService<TimeProvider>().GetUtcNow());
            using var scope = CallRecord.Begin(record);
            CallToolResult? result = null;
            try
            {
                // What the audit shows if the call never reaches the tool runner (hidden, read-only); the runner replaces it.
                record.Arguments = AuditView(services, record, context.Params?.Arguments);
                result = context.MatchedPrimitive is McpServerTool tool && HiddenBecause(services, name, IsReadOnly(tool.ProtocolTool)) is { } refusal
                    ? Refuse(record, refusal)
                    : await next(context, cancellationToken);
                return result;
            }
            catch (McpProtocolException)
            {
                record.Decide(AuditDecisions.Invalid, null);
                throw;
            }
            finally
            {
                await WriteAuditAsync(services, record, result);
            }
        });
    });

    public const string NotOfferedRule = "(not offered)";

    public const string ToolsetOffRule = "(toolset off)";

    private static (string Rule, string Message)? HiddenBecause(IServiceProvider services, string tool, bool readOnly)
    {
        var declaration = services.GetRequiredService<ToolCatalog>().Find(tool);
        if (declaration is not null && services.GetRequiredService<IOptions<ToolsetOptions>>().Value is var toolsets && !toolsets.IsEnabled(declaration.Toolset))
        {
            return (ToolsetOffRule,
                $"Tool \"{tool}\" is in the {declaration.Toolset} toolset, which this server does not offer ({toolsets.Source} enables {toolsets.Describe()}). Nothing was sent.");
        }

        if (declaration is { OfferedWhen: { } offered } && !offered(services))
        {
            return (NotOfferedRule, $"Tool \"{tool}\" is not offered in this configuration. Nothing was sent.");
        }

        if (!readOnly && services.GetRequiredService<IOptions<AccessOptions>>().Value.ReadOnly)
        {
            return (ReadOnlyRule,
                $"{tool} can change Portkey, and this server runs read-only ({AccessOptions.ReadOnlyVariable}=true). Nothing was sent.");
        }

        return services.GetRequiredService<IOptions<PolicyOptions>>().Value.Policy.IsHidden(tool)
            ? (PolicyEvaluator.HiddenRule, $"Tool \"{tool}\" is hidden by policy")
            : null;
    }

    private static CallToolResult Refuse(CallRecord record, (string Rule, string Message) refusal)
    {
        record.Decide(AuditDecisions.Denied, refusal.Rule);
        return ToolResults.Error(PolicyGuard.DeniedPrefix + refusal.Message);
    }

    private static async Task WriteAuditAsync(IServiceProvider services, CallRecord record, CallToolResult? result)
    {
        var audit = services.GetRequiredService<AuditLog>();
        if (audit.Enabled && !record.AuditDeferred)
        {
            await audit.WriteAsync(record, result is null || result.IsError == true);
        }
    }

    /// <summary>
    /// A known tool's arguments masked by its contract (secret fields whatever they hold, and its secret values in
    /// every other string); an unknown tool's only by name, since nothing says which of its values are secret.
    /// </summary>
    private static JsonElement? AuditView(IServiceProvider services, CallRecord record, IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var parsed = ToolArguments.From(arguments);
        if (services.GetRequiredService<ToolCatalog>().Find(record.Tool) is not { } tool)
        {
            return ToolContract.NamesOnly(parsed.Names);
        }

        var secrets = services.GetRequiredService<SecretRegistry>();
        var own = tool.Input.SecretValues(parsed).ToList();
        return tool.Input.Masked(parsed, text => secrets.ScrubValues(text, own));
    }

    private static bool IsReadOnly(Tool tool) => tool.Annotations?.ReadOnlyHint == true;
}
