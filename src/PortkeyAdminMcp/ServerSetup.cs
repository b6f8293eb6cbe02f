using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Audit;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Tools;

namespace PortkeyAdminMcp;

/// <summary>Everything the server is made of, less the transport, so tests can compose the same server in process.</summary>
public static class ServerSetup
{
    public static IMcpServerBuilder AddPortkeyAdminMcp(this IServiceCollection services)
    {
        services.AddPortkeyOptions();
        services.AddPortkeyClient(ServerIdentity.Version);
        services.AddSingleton<ICounterStore>(provider => CounterStores.Create(
            provider.GetRequiredService<IOptions<PolicyOptions>>().Value.StateSetting, provider.GetRequiredService<SecretRegistry>()));
        services.AddSingleton<PolicyGuard>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ToolRunner>();
        services.AddSingleton<ClientConnection>();
        services.AddHostedService<ClientConnection.Watcher>();

        return services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = ServerIdentity.Name, Title = ServerIdentity.Title, Version = ServerIdentity.Version };
                options.ServerInstructions =
                    "Manages Portkey API keys and virtual keys through the Portkey Admin API. Read before you change; " +
                    "treat any secret a tool returns as shown once.";
            })
            .WithTools<ApiKeyTools>(ToolCatalog.SerializerOptions)
            .WithTools<VirtualKeyTools>(ToolCatalog.SerializerOptions)
            .WithToolCatalog()
            .WithPolicy();
    }
}
