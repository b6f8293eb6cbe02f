using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Approvals;
using PortkeyAdminMcp.Audit;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Configuration;

public static class ConfigurationSetup
{
    /// <summary>Binds <see cref="PortkeyOptions"/> from environment variables and validates them when the host starts.</summary>
    public static IServiceCollection AddPortkeyOptions(this IServiceCollection services)
    {
        services.AddOptions<PortkeyOptions>()
            .Configure<IConfiguration, SecretRegistry>((options, configuration, secrets) =>
            {
                options.ApiKey = configuration[PortkeyOptions.ApiKeyVariable];
                options.BaseUrl = configuration[PortkeyOptions.BaseUrlVariable] is { Length: > 0 } url ? url.Trim() : PortkeyOptions.DefaultBaseUrl;
                options.TimeoutSeconds = configuration[PortkeyOptions.TimeoutVariable];
                // Known from the first moment, so no log line can ever show it.
                secrets.AddServerSecret(options.ApiKey);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortkeyOptions>, PortkeyOptionsValidator>();

        services.AddOptions<SecretOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Output = configuration[SecretOptions.OutputVariable] is { Length: > 0 } output ? output.Trim().ToLowerInvariant() : "inline";
                if (configuration[SecretOptions.DirectoryVariable] is { Length: > 0 } directory)
                {
                    options.Directory = directory.Trim();
                }

                options.EnvAllow = configuration[SecretOptions.EnvAllowVariable];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretOptions>, SecretOptionsValidator>();
        services.AddOptions<AccessOptions>()
            .Configure<IConfiguration>((options, configuration) => options.ReadOnlySetting = configuration[AccessOptions.ReadOnlyVariable])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        services.AddOptions<PolicyOptions>()
            .Configure<IConfiguration, ToolCatalog>((options, configuration, catalog) =>
            {
                options.StateSetting = configuration[PolicyOptions.StateVariable];
                if (configuration[PolicyOptions.PolicyVariable] is { Length: > 0 } path)
                {
                    options.PolicyPath = path.Trim();
                    var (policy, problems) = PolicyLoader.LoadFile(options.PolicyPath, catalog.ArgumentNames());
                    options.Policy = policy ?? PolicySet.AllowAll;
                    options.Problems = problems;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddOptions<ApprovalOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ChannelSetting = configuration[ApprovalOptions.ChannelVariable];
                options.PortSetting = configuration[ApprovalOptions.PortVariable];
                options.OpenSetting = configuration[ApprovalOptions.OpenVariable];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApprovalOptions>, ApprovalOptionsValidator>();
        services.AddOptions<ToolsetOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Setting = configuration[ToolsetOptions.Variable];
                options.DomainsSetting = configuration[ToolsetOptions.DomainsVariable];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ToolsetOptions>, ToolsetOptionsValidator>();
        services.AddOptions<AuditOptions>()
            .Configure<IConfiguration>((options, configuration) => options.Path = configuration[AuditOptions.Variable]?.Trim())
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SecretFileWriter>();
        services.AddSingleton<KeyReferences>();
        return services;
    }
}
