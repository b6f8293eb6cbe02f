using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Calls;

/// <summary>One call of one tool, as its plan and execute steps see it: the arguments (validated, normalised), the
/// record that audits it, and the services it may use.</summary>
public sealed class ToolCall(ToolDeclaration tool, ToolArguments arguments, CallRecord record, IServiceProvider services)
{
    public ToolDeclaration Tool { get; } = tool;

    public ToolArguments Arguments { get; } = arguments;

    public CallRecord Record { get; } = record;

    public PortkeyClient Portkey => services.GetRequiredService<PortkeyClient>();

    public T Service<T>()
        where T : notnull => services.GetRequiredService<T>();

    /// <summary>The arguments given besides the record's identifier and dry_run: what an update changed.</summary>
    public IReadOnlyList<string> ChangedFields(string idField) =>
        [.. Arguments.Names.Where(name => name != idField && name != "dry_run").Order(StringComparer.Ordinal)];
}
