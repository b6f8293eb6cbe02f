using System.Text.Json;

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

    /// <summary>
    /// The values the agent passed in fields the schema marks secret, whatever their type or validity: they are
    /// this call's own secrets, masked in its outputs.
    /// </summary>
    public IEnumerable<string> SecretValues(ToolArguments arguments)
    {
        foreach (var property in Input.Properties)
        {
            if (property.Value is StringSchema { Sensitive: true } && arguments.Get(property.Key) is { } value)
            {
                yield return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }
    }

    /// <summary>The arguments in the spelling Portkey treats as the same (UUIDs in lower case); only for valid arguments.</summary>
    public ToolArguments Normalize(ToolArguments arguments)
    {
        Dictionary<string, JsonElement>? changed = null;
        foreach (var name in arguments.Names)
        {
            if (Input.Find(name) is not { } schema || arguments.Get(name) is not { } value)
            {
                continue;
            }

            var normalized = schema.Normalize(value);
            if (normalized.GetRawText() != value.GetRawText())
            {
                (changed ??= []).Add(name, normalized);
            }
        }

        return changed is null ? arguments : arguments.With(changed);
    }

    /// <summary>
    /// The arguments as an audit line or an approval may show them: a field the schema marks secret is masked
    /// whatever it holds, and <paramref name="maskText"/> (the call's own secrets and the server's) runs over every
    /// other string value. Names, numbers and structure are the call's own, never rewritten.
    /// </summary>
    public JsonElement Masked(ToolArguments arguments, Func<string, string> maskText) =>
        JsonValues.Object(arguments.Names.Select(name =>
        {
            var value = arguments.Raw(name);
            return new KeyValuePair<string, JsonElement>(name, Input.Find(name) switch
            {
                // An argument the tool does not have means nothing to an auditor, and nothing says whether it is secret.
                null => JsonValues.String(NotRecorded),
                StringSchema { Sensitive: true } when value.ValueKind != JsonValueKind.Null => JsonValues.String(Security.SecretRegistry.Mask),
                _ => MaskStrings(value, maskText),
            });
        }));

    /// <summary>What an audit line shows for the value of an argument no contract describes.</summary>
    public const string NotRecorded = "(not recorded)";

    /// <summary>Any arguments, when no contract is known (an unknown tool): only their names are kept.</summary>
    public static JsonElement NamesOnly(IEnumerable<string> names) =>
        JsonValues.Object(names.Select(name => new KeyValuePair<string, JsonElement>(name, JsonValues.String(NotRecorded))));

    private static JsonElement MaskStrings(JsonElement value, Func<string, string> maskText) => value.ValueKind switch
    {
        JsonValueKind.String => maskText(value.GetString()!) is var masked && masked == value.GetString() ? value : JsonValues.String(masked),
        JsonValueKind.Array => JsonValues.Array(value.EnumerateArray().Select(item => MaskStrings(item, maskText))),
        JsonValueKind.Object => JsonValues.Object(value.EnumerateObject().Select(member => new KeyValuePair<string, JsonElement>(member.Name, MaskStrings(member.Value, maskText)))),
        _ => value,
    };

    private static string RootField(string field)
    {
        var end = field.IndexOfAny(['.', '[']);
        return end < 0 ? field : field[..end];
    }
}
