using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>Arguments that were valid on their own but not against the record's current state (found after a read).</summary>
public sealed class ToolInputException(IReadOnlyList<FieldError> errors) : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
