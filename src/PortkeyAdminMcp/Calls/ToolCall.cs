using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Calls;

/// <summary>One call of one tool, as its plan and execute steps see it: the arguments (validated, normalised), the
/// record that audits it, and the services it may use.</summary>
/// <param name="services">The root services: an approved call may run after the request that planned it has ended.</param>
public sealed class ToolCall(ToolDeclaration tool, ToolArguments arguments, CallRecord record, IServiceProvider services, RequestContext<CallToolRequestParams>? request = null)
{
    public ToolDeclaration Tool { get; } = tool;

    public ToolArguments Arguments { get; } = arguments;

    public CallRecord Record { get; } = record;

    public PortkeyClient Portkey => services.GetRequiredService<PortkeyClient>();

    public T Service<T>()
        where T : notnull => services.GetRequiredService<T>();

    /// <summary>Progress notifications for a long wait, when the client asked for them (a progress token); null otherwise.</summary>
    public IProgress<ProgressNotificationValue>? Progress =>
        request?.Params?.ProgressToken is { } token && request.Server is { } server ? new TokenProgress(server, token) : null;

    private sealed class TokenProgress(McpServer server, ProgressToken token) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => _ = server.NotifyProgressAsync(token, value, cancellationToken: CancellationToken.None);
    }

    /// <summary>The arguments given besides the record's identifier and dry_run: what an update changed.</summary>
    /// <param name="locators">The arguments that say which record rather than what changes.</param>
    public IReadOnlyList<string> ChangedFields(params string[] locators) =>
        [.. Arguments.Names.Where(name => !locators.Contains(name) && name != "dry_run").Order(StringComparer.Ordinal)];
}
