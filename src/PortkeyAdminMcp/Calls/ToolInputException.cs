using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Calls;

/// <summary>Arguments that were valid on their own but not against the record's current state (found after a read).</summary>
public sealed class ToolInputException(IReadOnlyList<FieldError> errors) : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>A call that cannot finish as asked, with a message for the agent (already free of secrets).</summary>
public sealed class ToolFailureException(string message) : Exception(message);
