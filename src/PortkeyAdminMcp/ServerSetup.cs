using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Approvals;
using PortkeyAdminMcp.Audit;
using PortkeyAdminMcp.AuditLogs;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Hosting;
using PortkeyAdminMcp.Integrations;
using PortkeyAdminMcp.LimitPolicies;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Providers;
using PortkeyAdminMcp.SecretReferences;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Users;
using PortkeyAdminMcp.VirtualKeys;
using PortkeyAdminMcp.Workspaces;

namespace PortkeyAdminMcp;

/// <summary>Everything the server is made of, less the transport, so tests can compose the same server in process.</summary>
public static class ServerSetup
{
    /// <summary>
    /// The catalogue of every tool, composed exactly as the server composes it but with no configuration: for tools
    /// that need the tool set without a running server (benchmarks, the tests' view of the catalogue).
    /// </summary>
    public static ToolCatalog ComposeCatalog()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(new SecretRegistry());
        services.AddLogging();
        services.AddPortkeyAdminMcp();
        return services.BuildServiceProvider().GetRequiredService<ToolCatalog>();
    }

    public static IMcpServerBuilder AddPortkeyAdminMcp(this IServiceCollection services)
    {
        // One line per area: each registers its declared tools.
        services.AddApiKeyTools();
        services.AddVirtualKeyTools();
        services.AddWorkspaceTools();
        services.AddUserTools();
        services.AddIntegrationTools();
        services.AddProviderTools();
        services.AddSecretReferenceTools();
        services.AddLimitPolicyTools();
        services.AddAuditLogTools();
        services.AddApprovalTools();

        services.AddPortkeyOptions();
        services.AddPortkeyClient(ServerIdentity.Version);
        services.AddSingleton<ICounterStore>(provider => CounterStores.Create(
            provider.GetRequiredService<IOptions<PolicyOptions>>().Value.StateSetting, provider.GetRequiredService<SecretRegistry>()));
        services.AddSingleton<PolicyGuard>();
        services.AddSingleton<PendingApprovals>();
        services.AddHostedService(provider => provider.GetRequiredService<PendingApprovals>());
        services.AddSingleton<ApprovalPage>();
        services.AddHostedService(provider => provider.GetRequiredService<ApprovalPage>());
        services.AddSingleton<IBrowserOpener, DesktopBrowserOpener>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ToolRunner>();
        services.AddSingleton<ClientConnection>();
        services.AddHostedService<ClientConnection.Watcher>();

        return services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = ServerIdentity.Name, Title = ServerIdentity.Title, Version = ServerIdentity.Version };
                options.ServerInstructions =
                    "Manages who may use Portkey and how (API keys, virtual keys, workspaces, users and more) through the " +
                    "Portkey Admin API. Read before you change; treat any secret a tool returns as shown once.";
            })
            .WithPolicy();
    }
}
