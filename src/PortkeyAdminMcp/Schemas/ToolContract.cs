using System.Text.Json;

namespace PortkeyAdminMcp.Schemas;

/// <summary>
/// One tool's input rules: the schema published to clients and enforced here, plus the rules that span several
/// arguments (conditional requirements, mutual exclusions). It also knows which of the arguments are secret, so a
/// call's own secrets can be masked in its outputs by field and by value.
/// </summary>
public sealed class ToolContract
{
    /// <summary>What an audit line shows for the value of an argument no contract describes.</summary>
    public const string NotRecorded = "(not recorded)";

    public required ObjectSchema Input { get; init; }

    /// <summary>Rules across arguments; they read only arguments whose type the schema has already vouched for.</summary>
    public Func<ToolArguments, IEnumerable<FieldError>>? Rules { get; init; }

    /// <summary>The names of the top-level arguments, which a policy file may refer to.</summary>
    public IEnumerable<string> ArgumentNames => Input.Properties.Select(p => p.Key);

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

        errors.AddRange(SecretsInIdentifiers(arguments));
        return errors;
    }

    /// <summary>
    /// A call's secret masks that call's outputs by value, so a secret that also appears in a field that is not secret
    /// (the provider key equal to workspace_id; junk in a secret field equal to part of a vault address) would hide
    /// that field from the human who approves or audits the call. No string that is not secret, at any depth, may
    /// carry one of the call's secret values.
    /// </summary>
    private IEnumerable<FieldError> SecretsInIdentifiers(ToolArguments arguments)
    {
        var secrets = SecretValues(arguments).Where(v => v.Length >= Security.SecretRegistry.MinimumLength).ToList();
        if (secrets.Count == 0)
        {
            yield break;
        }

        foreach (var name in arguments.Names)
        {
            foreach (var (path, value) in PlainStrings(Input.Find(name), arguments.Raw(name), name))
            {
                if (secrets.Any(secret => value.Contains(secret, StringComparison.Ordinal)))
                {
                    yield return new FieldError(path, "holds a value given as a secret; a secret cannot appear in a field that is not secret (it would be masked where a human must read it)");
                }
            }
        }
    }

    /// <summary>Every string of an argument that its schema does not mark secret, with its path.</summary>
    private static IEnumerable<(string Path, string Value)> PlainStrings(Schema? schema, JsonElement value, string path)
    {
        if (schema is StringSchema { Sensitive: true } or AnySchema { Sensitive: true })
        {
            yield break;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                yield return (path, value.GetString()!);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    foreach (var found in PlainStrings((schema as ArraySchema)?.Items, item, $"{path}[{index++}]"))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    var child = schema is ObjectSchema map ? map.Find(member.Name) ?? (map.Extra == ExtraProperties.Map ? map.Values : null) : null;
                    foreach (var found in PlainStrings(child, member.Value, $"{path}.{member.Name}"))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    /// <summary>
    /// The values the agent passed in fields the schema marks secret, at any depth and whatever their type or
    /// validity: they are this call's own secrets, masked in its outputs.
    /// </summary>
    public IEnumerable<string> SecretValues(ToolArguments arguments)
    {
        var found = new List<string>();
        foreach (var name in arguments.Names)
        {
            if (Input.Find(name) is { } schema)
            {
                CollectSecrets(schema, arguments.Raw(name), found);
            }
        }

        return found;
    }

    private static void CollectSecrets(Schema schema, JsonElement value, List<string> found)
    {
        switch (schema)
        {
            case StringSchema { Sensitive: true } or AnySchema { Sensitive: true } when value.ValueKind != JsonValueKind.Null:
                found.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
                // A secret object (a service-account JSON): each string in it (a private key) is a secret of its own.
                found.AddRange(NestedStrings(value));
                break;
            case ArraySchema array when value.ValueKind == JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    CollectSecrets(array.Items, item, found);
                }

                break;
            case ObjectSchema map when value.ValueKind == JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    if ((map.Find(member.Name) ?? (map.Extra == ExtraProperties.Map ? map.Values : null)) is { } child)
                    {
                        CollectSecrets(child, member.Value, found);
                    }
                }

                break;
        }
    }

    private static IEnumerable<string> NestedStrings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().SelectMany(m => NestedStrings(m.Value)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany(NestedStrings),
        JsonValueKind.String when value.GetString() is { Length: >= Security.SecretRegistry.MinimumLength } text => [text],
        _ => [],
    };

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
    /// whatever it holds, at any depth, and <paramref name="maskText"/> (the call's own secrets and the server's)
    /// runs over every other string value. Names, numbers and structure are the call's own, never rewritten; an
    /// argument the tool does not have is recorded by name only.
    /// </summary>
    public JsonElement Masked(ToolArguments arguments, Func<string, string> maskText) =>
        JsonValues.Object(Bounded(arguments.Names, name => Input.Find(name) is { } schema
            ? Masked(schema, arguments.Raw(name), maskText)
            : JsonValues.String(NotRecorded)));

    /// <summary>Any arguments, when no contract is known (an unknown tool): only their names are kept.</summary>
    public static JsonElement NamesOnly(IEnumerable<string> names) => JsonValues.Object(Bounded(names, _ => JsonValues.String(NotRecorded)));

    /// <summary>The most arguments a record keeps, each name at most this long: an audit line is bounded whatever arrives.</summary>
    public const int MaxRecordedArguments = 64;

    private static IEnumerable<KeyValuePair<string, JsonElement>> Bounded(IEnumerable<string> names, Func<string, JsonElement> value)
    {
        var count = 0;
        foreach (var name in names)
        {
            if (++count > MaxRecordedArguments)
            {
                continue;
            }

            var shown = name.Length > MaxRecordedArguments ? string.Concat(name.AsSpan(0, MaxRecordedArguments - 3), "...") : name;
            yield return new(shown, value(name));
        }

        if (count > MaxRecordedArguments)
        {
            yield return new("(more)", JsonValues.String($"{count - MaxRecordedArguments} more arguments, not recorded"));
        }
    }

    private static JsonElement Masked(Schema? schema, JsonElement value, Func<string, string> maskText) => (schema, value.ValueKind) switch
    {
        (StringSchema { Sensitive: true } or AnySchema { Sensitive: true }, not JsonValueKind.Null) => JsonValues.String(Security.SecretRegistry.Mask),
        (_, JsonValueKind.String) => maskText(value.GetString()!) is var masked && masked == value.GetString() ? value : JsonValues.String(masked),
        (_, JsonValueKind.Array) => JsonValues.Array(value.EnumerateArray().Select(item => Masked((schema as ArraySchema)?.Items, item, maskText))),
        (_, JsonValueKind.Object) => JsonValues.Object(value.EnumerateObject().Select(member => new KeyValuePair<string, JsonElement>(maskText(member.Name),
            Masked(schema is ObjectSchema map ? map.Find(member.Name) ?? (map.Extra == ExtraProperties.Map ? map.Values : null) : null, member.Value, maskText)))),
        _ => value,
    };

    private static string RootField(string field)
    {
        var end = field.IndexOfAny(['.', '[']);
        return end < 0 ? field : field[..end];
    }
}
