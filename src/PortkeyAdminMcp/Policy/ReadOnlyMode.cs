using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace PortkeyAdminMcp.Policy;

/// <summary>PORTKEY_MCP_READ_ONLY: the tools that can change Portkey are neither listed nor callable.</summary>
public sealed class AccessOptions
{
    public const string ReadOnlyVariable = "PORTKEY_MCP_READ_ONLY";

    /// <summary>As written; "true"/"1" turn read-only mode on, "false"/"0"/unset leave it off.</summary>
    public string? ReadOnlySetting { get; set; }

    public bool ReadOnly => ReadOnlySetting?.Trim().ToLowerInvariant() is "true" or "1";
}

public sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options) =>
        options.ReadOnlySetting is null || options.ReadOnlySetting.Trim().ToLowerInvariant() is "true" or "1" or "false" or "0" or ""
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AccessOptions.ReadOnlyVariable} must be true or false (got '{options.ReadOnlySetting}')");
}

public static class ReadOnlyMode
{
    /// <summary>Hides every tool not annotated read-only from tools/list and refuses it if called anyway.</summary>
    public static IMcpServerBuilder WithReadOnlyMode(this IMcpServerBuilder builder) => builder.WithRequestFilters(filters =>
    {
        filters.AddListToolsFilter(next => async (context, cancellationToken) =>
        {
            var result = await next(context, cancellationToken);
            if (IsOn(context.Services))
            {
                result.Tools = [.. result.Tools.Where(IsReadOnly)];
            }

            return result;
        });
        filters.AddCallToolFilter(next => async (context, cancellationToken) =>
        {
            if (IsOn(context.Services) && context.MatchedPrimitive is McpServerTool tool && !IsReadOnly(tool.ProtocolTool))
            {
                return new CallToolResult
                {
                    IsError = true,
                    Content = [new TextContentBlock
                    {
                        Text = $"[POLICY DENIED] {tool.ProtocolTool.Name} can change Portkey, and this server runs read-only ({AccessOptions.ReadOnlyVariable}=true). Nothing was sent.",
                    }],
                };
            }

            return await next(context, cancellationToken);
        });
    });

    private static bool IsOn(IServiceProvider? services) =>
        services?.GetService<IOptions<AccessOptions>>()?.Value.ReadOnly == true;

    private static bool IsReadOnly(Tool tool) => tool.Annotations?.ReadOnlyHint == true;
}
