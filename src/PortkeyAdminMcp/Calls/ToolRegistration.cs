using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Approvals;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Calls;

/// <summary>Turns declarations into the MCP tools the SDK lists and calls: one registration call per area.</summary>
public static class ToolRegistration
{
    /// <summary>Registers an area's tools. Each area has one line in <see cref="ServerSetup"/>, e.g. <c>services.AddApiKeyTools()</c>.</summary>
    public static IServiceCollection AddTools(this IServiceCollection services, params ToolDeclaration[] declarations)
    {
        services.TryAddSingleton<ToolCatalog>();
        services.TryAddSingleton(ToolEnvironmentFrom);
        foreach (var declaration in declarations)
        {
            services.AddSingleton(declaration);
            services.AddSingleton<McpServerTool>(provider => new DeclaredTool(declaration, provider.GetRequiredService<ToolCatalog>().Publish(declaration.Name)));
        }

        return services;
    }

    private static ToolEnvironment ToolEnvironmentFrom(IServiceProvider provider)
    {
        var secrets = provider.GetRequiredService<IOptions<SecretOptions>>().Value;
        var policy = provider.GetRequiredService<IOptions<PolicyOptions>>().Value.Policy;
        var pageAllowed = provider.GetRequiredService<IOptions<ApprovalOptions>>().Value.PageAllowed;
        return new ToolEnvironment(secrets.WritesFiles ? secrets.Directory : null, secrets.AllowedEnvNames, tool => pageAllowed && policy.MayAskApprovalFor(tool));
    }

    /// <summary>A declared tool as the SDK sees it: the published tool, and a call that goes through the one pipeline.</summary>
    private sealed class DeclaredTool(ToolDeclaration declaration, Tool published) : McpServerTool
    {
        public override Tool ProtocolTool => published;

        public override IReadOnlyList<object> Metadata => [];

        public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
            await request.Services!.GetRequiredService<ToolRunner>().RunAsync(declaration, request, cancellationToken);
    }
}
