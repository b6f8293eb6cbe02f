using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Validation;

/// <summary>
/// One tool's input rules: the schema published to clients and enforced here, plus the rules that
/// span several arguments (conditional requirements, mutual exclusions).
/// </summary>
public sealed class ToolContract
{
    public required string Name { get; init; }

    public required ObjectSchema Input { get; init; }

    /// <summary>Rules across arguments; they read only arguments whose type the schema has already vouched for.</summary>
    public Func<ToolArguments, IEnumerable<FieldError>>? Rules { get; init; }

    /// <summary>Every problem with the arguments, schema and cross-field rules together; empty when they are valid.</summary>
    public IReadOnlyList<FieldError> Check(ToolArguments arguments)
    {
        var errors = new List<FieldError>();
        Input.Validate(arguments.AsObject(), string.Empty, errors);
        if (Rules is not null)
        {
            var failed = errors.Select(e => RootField(e.Field)).ToHashSet(StringComparer.Ordinal);
            // A field that already failed its own schema check is not judged again by a cross-field rule.
            errors.AddRange(Rules(arguments).Where(e => !failed.Contains(RootField(e.Field))));
        }

        return errors;
    }

    /// <summary>Puts every argument the schema marks as secret into the registry before anything can log it.</summary>
    public void RegisterSecrets(ToolArguments arguments, SecretRegistry secrets)
    {
        foreach (var property in Input.Properties)
        {
            if (property.Value is StringSchema { Sensitive: true } && arguments.String(property.Key) is { } secret)
            {
                secrets.Add(secret);
            }
        }
    }

    private static string RootField(string field)
    {
        var end = field.IndexOfAny(['.', '[']);
        return end < 0 ? field : field[..end];
    }
}
