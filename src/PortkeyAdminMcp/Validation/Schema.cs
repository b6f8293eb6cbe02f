using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Validation;

/// <summary>
/// A small JSON Schema subset that serves twice: it is published as a tool's input (or output) schema,
/// and it checks the arguments at run time, because the MCP SDK publishes schemas but enforces none.
/// Keeping both in one object means the schema an agent reads and the rule the server applies cannot drift.
/// </summary>
public abstract class Schema
{
    public string? Description { get; init; }

    /// <summary>JSON <c>null</c> is an accepted value (distinct from the argument being absent).</summary>
    public bool Nullable { get; init; }

    protected abstract string TypeName { get; }

    /// <summary>How the type reads in an error message ("a string", "a whole number").</summary>
    protected virtual string Noun => "a " + TypeName;

    public void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!Nullable)
            {
                errors.Add(new FieldError(path, $"must be {Noun}, not null"));
            }

            return;
        }

        ValidateValue(value, path, errors);
    }

    protected abstract void ValidateValue(JsonElement value, string path, List<FieldError> errors);

    /// <summary>
    /// The value in the one spelling Portkey treats it as (a UUID in lower case), so the policy judges and the
    /// request carries exactly the same text. Called only on values that passed <see cref="Validate"/>.
    /// </summary>
    public virtual JsonElement Normalize(JsonElement value) => value;

    public virtual void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Nullable)
        {
            writer.WriteStartArray("type");
            writer.WriteStringValue(TypeName);
            writer.WriteStringValue("null");
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("type", TypeName);
        }

        if (Description is not null)
        {
            writer.WriteString("description", Description);
        }

        WriteConstraints(writer);
        writer.WriteEndObject();
    }

    protected abstract void WriteConstraints(Utf8JsonWriter writer);

    public JsonElement ToJsonElement()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteTo(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    protected static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>Whether <see cref="Normalize"/> handed back the very value it was given (nothing to rewrite).</summary>
    protected static bool SameJson(JsonElement a, JsonElement b) =>
        a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText();

    protected static string FormatNumber(double number) =>
        number.ToString(Math.Abs(number) < 1e15 ? "0.##########" : "G6", CultureInfo.InvariantCulture);
}

public enum StringFormat
{
    None,
    Uuid,
    DateTime,
    Email,
}

public sealed class StringSchema : Schema
{
    private static readonly Regex s_uuid = new(
        @"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z",
        RegexOptions.CultureInvariant);

    // \z, not $: .NET's $ also matches before a final newline (see EcmaPattern).
    // ISO 8601 / RFC 3339 date-time with an explicit offset: an expiry without a zone is ambiguous by hours.
    private static readonly Regex s_dateTime = new(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|z|[+-][0-9]{2}:[0-9]{2})\z",
        RegexOptions.CultureInvariant);

    private static readonly Regex s_email = new(
        @"^[^@\s""<>(),;:\\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z",
        RegexOptions.CultureInvariant);

    private Regex? _pattern;
    private string? _patternText;

    protected override string TypeName => "string";

    public IReadOnlyList<string>? Enum { get; init; }

    public StringFormat Format { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Never quote the received value in an error: the field may hold a secret.</summary>
    public bool Sensitive { get; init; }

    /// <summary>A regular expression the value must match, and the words that explain it to an agent.</summary>
    public string? Pattern
    {
        get => _patternText;
        init
        {
            _patternText = value;
            _pattern = value is null ? null : EcmaPattern.Compile(value);
        }
    }

    public string? PatternHint { get; init; }

    /// <summary>A value shaped like a UUID is sent in lower case (ids that may be a UUID or a slug); <see cref="StringFormat.Uuid"/> implies it.</summary>
    public bool LowercaseUuid { get; init; }

    public override JsonElement Normalize(JsonElement value)
    {
        if ((Format != StringFormat.Uuid && !LowercaseUuid) || value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        var text = value.GetString()!;
        return s_uuid.IsMatch(text) && text.Any(char.IsAsciiLetterUpper)
            ? JsonValues.String(text.ToLowerInvariant())
            : value;
    }

    public static bool IsUuid(string text) => s_uuid.IsMatch(text);

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(path, $"must be a string (got {KindOf(value)})"));
            return;
        }

        var text = value.GetString()!;
        if (MinLength is { } min && text.Trim().Length < min)
        {
            errors.Add(new FieldError(path, min == 1 ? "must not be empty" : $"must be at least {min} characters"));
            return;
        }

        if (MaxLength is { } max && text.Length > max)
        {
            errors.Add(new FieldError(path, $"must be at most {max} characters (got {text.Length})"));
            return;
        }

        if (Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(path, $"must be one of {string.Join(", ", allowed)} (got {Quote(text)})"));
            return;
        }

        switch (Format)
        {
            case StringFormat.Uuid when !s_uuid.IsMatch(text):
                errors.Add(new FieldError(path, $"must be a UUID like 123e4567-e89b-12d3-a456-426614174000 (got {Quote(text)})"));
                return;
            case StringFormat.DateTime when !IsDateTime(text):
                errors.Add(new FieldError(path, $"must be an ISO 8601 date-time with a time zone, like 2027-01-31T00:00:00Z (got {Quote(text)})"));
                return;
            case StringFormat.Email when !s_email.IsMatch(text):
                errors.Add(new FieldError(path, $"must be an email address (got {Quote(text)})"));
                return;
        }

        if (_pattern is not null && !_pattern.IsMatch(text))
        {
            errors.Add(new FieldError(path, $"{PatternHint ?? "has an invalid format"} (got {Quote(text)})"));
        }
    }

    public static bool IsDateTime(string text) =>
        s_dateTime.IsMatch(text) &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    private string Quote(string text)
    {
        if (Sensitive)
        {
            return "a value that is not shown";
        }

        var shown = text.Length > 60 ? string.Concat(text.AsSpan(0, 57), "...") : text;
        return "'" + shown + "'";
    }

    protected override void WriteConstraints(Utf8JsonWriter writer)
    {
        if (Enum is { } allowed)
        {
            writer.WriteStartArray("enum");
            foreach (var item in allowed)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        var format = Format switch
        {
            StringFormat.Uuid => "uuid",
            StringFormat.DateTime => "date-time",
            StringFormat.Email => "email",
            _ => null,
        };
        if (format is not null)
        {
            writer.WriteString("format", format);
        }

        if (MinLength is { } min)
        {
            writer.WriteNumber("minLength", min);
        }

        if (MaxLength is { } max)
        {
            writer.WriteNumber("maxLength", max);
        }

        if (_patternText is not null)
        {
            writer.WriteString("pattern", _patternText);
        }
    }
}

public sealed class NumberSchema : Schema
{
    public bool Integer { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>The published type stays "number" (the seed contract) while whole numbers are still required.</summary>
    public bool RequireWhole { get; init; }

    protected override string TypeName => Integer ? "integer" : "number";

    protected override string Noun => Integer || RequireWhole ? "a whole number" : "a number";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new FieldError(path, $"must be {Noun} (got {KindOf(value)})"));
            return;
        }

        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors.Add(new FieldError(path, "is not a representable number"));
            return;
        }

        if ((Integer || RequireWhole) && (Math.Floor(number) != number || Math.Abs(number) > 9_007_199_254_740_991))
        {
            errors.Add(new FieldError(path, $"must be a whole number (got {FormatNumber(number)})"));
            return;
        }

        if (Minimum is { } min && number < min)
        {
            errors.Add(new FieldError(path, $"must be at least {FormatNumber(min)} (got {FormatNumber(number)})"));
        }
        else if (Maximum is { } max && number > max)
        {
            errors.Add(new FieldError(path, $"must be at most {FormatNumber(max)} (got {FormatNumber(number)})"));
        }
    }

    protected override void WriteConstraints(Utf8JsonWriter writer)
    {
        if (Minimum is { } min)
        {
            writer.WriteNumber("minimum", min);
        }

        if (Maximum is { } max)
        {
            writer.WriteNumber("maximum", max);
        }
    }
}

public sealed class BooleanSchema : Schema
{
    protected override string TypeName => "boolean";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new FieldError(path, $"must be true or false (got {KindOf(value)})"));
        }
    }

    protected override void WriteConstraints(Utf8JsonWriter writer)
    {
    }
}

public sealed class ArraySchema : Schema
{
    public required Schema Items { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    public bool UniqueItems { get; init; }

    protected override string TypeName => "array";

    protected override string Noun => "an array";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError(path, $"must be an array (got {KindOf(value)})"));
            return;
        }

        var count = value.GetArrayLength();
        if (MinItems is { } min && count < min)
        {
            errors.Add(new FieldError(path, min == 1 ? "must have at least one item" : $"must have at least {min} items"));
            return;
        }

        if (MaxItems is { } max && count > max)
        {
            errors.Add(new FieldError(path, $"must have at most {max} items (got {count})"));
            return;
        }

        var index = 0;
        HashSet<string>? seen = UniqueItems ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{index}]";
            var before = errors.Count;
            Items.Validate(item, itemPath, errors);
            if (seen is not null && errors.Count == before && !seen.Add(item.GetRawText()))
            {
                errors.Add(new FieldError(itemPath, "is a duplicate"));
            }

            index++;
        }
    }

    public override JsonElement Normalize(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return value;
        }

        var items = value.EnumerateArray().Select(Items.Normalize).ToList();
        return items.Select((item, i) => (item, i)).All(p => SameJson(p.item, value[p.i])) ? value : JsonValues.Array(items);
    }

    protected override void WriteConstraints(Utf8JsonWriter writer)
    {
        writer.WritePropertyName("items");
        Items.WriteTo(writer);
        if (MinItems is { } min)
        {
            writer.WriteNumber("minItems", min);
        }

        if (MaxItems is { } max)
        {
            writer.WriteNumber("maxItems", max);
        }

        if (UniqueItems)
        {
            writer.WriteBoolean("uniqueItems", true);
        }
    }
}

/// <summary>Any JSON value (free-form metadata), bounded in size. Published as a schema with no type.</summary>
public sealed class AnySchema : Schema
{
    protected override string TypeName => "any";

    /// <summary>The most characters the value may take as JSON text; free-form does not mean unbounded.</summary>
    public required int MaxJsonLength { get; init; }

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        var length = value.GetRawText().Length;
        if (length > MaxJsonLength)
        {
            errors.Add(new FieldError(path, $"is too large ({length} characters of JSON; at most {MaxJsonLength})"));
        }
    }

    protected override void WriteConstraints(Utf8JsonWriter writer)
    {
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Description is not null)
        {
            writer.WriteString("description", Description);
        }

        writer.WriteEndObject();
    }
}

public enum ExtraProperties
{
    /// <summary>An unknown property is an error (agent typos must not be dropped silently).</summary>
    Forbidden,

    /// <summary>Unknown properties are tolerated (output schemas: Portkey adds fields over time).</summary>
    Allowed,

    /// <summary>A free-form map whose values match <see cref="ObjectSchema.Values"/>.</summary>
    Map,
}

public sealed class ObjectSchema : Schema
{
    public IReadOnlyList<KeyValuePair<string, Schema>> Properties { get; init; } = [];

    public IReadOnlyCollection<string> Required { get; init; } = [];

    public ExtraProperties Extra { get; init; } = ExtraProperties.Forbidden;

    /// <summary>The schema every value of a free-form map must match.</summary>
    public Schema? Values { get; init; }

    public int? MaxProperties { get; init; }

    /// <summary>For a free-form map: the longest key allowed.</summary>
    public int? MaxKeyLength { get; init; }

    protected override string TypeName => "object";

    protected override string Noun => "an object";

    public Schema? Find(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Key == name)
            {
                return property.Value;
            }
        }

        return null;
    }

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, $"must be an object (got {KindOf(value)})"));
            return;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var member in value.EnumerateObject())
        {
            count++;
            var memberPath = string.IsNullOrEmpty(path) ? member.Name : $"{path}.{member.Name}";
            if (!present.Add(member.Name))
            {
                errors.Add(new FieldError(memberPath, "is given more than once"));
                continue;
            }

            var schema = Find(member.Name);
            if (schema is not null)
            {
                schema.Validate(member.Value, memberPath, errors);
                continue;
            }

            switch (Extra)
            {
                case ExtraProperties.Forbidden:
                    errors.Add(new FieldError(memberPath, UnknownMessage(member.Name)));
                    break;
                case ExtraProperties.Map when MaxKeyLength is { } maxKey && member.Name.Length > maxKey:
                    errors.Add(new FieldError(string.IsNullOrEmpty(path) ? "(arguments)" : path, $"has a key of {member.Name.Length} characters (at most {maxKey})"));
                    break;
                case ExtraProperties.Map when Values is not null:
                    Values.Validate(member.Value, memberPath, errors);
                    break;
            }
        }

        if (MaxProperties is { } max && count > max)
        {
            errors.Add(new FieldError(string.IsNullOrEmpty(path) ? "(arguments)" : path, $"must have at most {max} entries (got {count})"));
        }

        foreach (var name in Required)
        {
            if (!present.Contains(name))
            {
                errors.Add(new FieldError(string.IsNullOrEmpty(path) ? name : $"{path}.{name}", "is required"));
            }
        }
    }

    public override JsonElement Normalize(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return value;
        }

        var changed = false;
        var members = new List<KeyValuePair<string, JsonElement>>();
        foreach (var member in value.EnumerateObject())
        {
            var schema = Find(member.Name) ?? (Extra == ExtraProperties.Map ? Values : null);
            var normalized = schema is null || member.Value.ValueKind == JsonValueKind.Null ? member.Value : schema.Normalize(member.Value);
            changed |= !SameJson(normalized, member.Value);
            members.Add(new(member.Name, normalized));
        }

        return changed ? JsonValues.Object(members) : value;
    }

    private string UnknownMessage(string name)
    {
        var suggestion = NameSuggestion.Closest(name, Properties.Select(p => p.Key));
        var known = string.Join(", ", Properties.Select(p => p.Key));
        return suggestion is null
            ? $"is not a known argument (known: {known})"
            : $"is not a known argument; did you mean '{suggestion}'?";
    }

    protected override void WriteConstraints(Utf8JsonWriter writer)
    {
        if (Properties.Count > 0 || Extra == ExtraProperties.Forbidden)
        {
            writer.WriteStartObject("properties");
            foreach (var property in Properties)
            {
                writer.WritePropertyName(property.Key);
                property.Value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        var required = Properties.Select(p => p.Key).Where(Required.Contains).ToList();
        if (required.Count > 0)
        {
            writer.WriteStartArray("required");
            foreach (var name in required)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        switch (Extra)
        {
            case ExtraProperties.Forbidden:
                writer.WriteBoolean("additionalProperties", false);
                break;
            case ExtraProperties.Map when Values is AnySchema:
                break;
            case ExtraProperties.Map when Values is not null:
                writer.WritePropertyName("additionalProperties");
                Values.WriteTo(writer);
                break;
        }

        if (MaxProperties is { } max)
        {
            writer.WriteNumber("maxProperties", max);
        }

        if (MaxKeyLength is { } maxKey)
        {
            writer.WriteStartObject("propertyNames");
            writer.WriteNumber("maxLength", maxKey);
            writer.WriteEndObject();
        }
    }
}

/// <summary>A value that matches at least one of several object shapes (a write tool's result, or its dry run).</summary>
public sealed class AnyOfSchema : Schema
{
    public required IReadOnlyList<Schema> Options { get; init; }

    protected override string TypeName => "object";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        List<FieldError>? closest = null;
        foreach (var option in Options)
        {
            var attempt = new List<FieldError>();
            option.Validate(value, path, attempt);
            if (attempt.Count == 0)
            {
                return;
            }

            if (closest is null || attempt.Count < closest.Count)
            {
                closest = attempt;
            }
        }

        errors.AddRange(closest ?? []);
    }

    protected override void WriteConstraints(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("anyOf");
        foreach (var option in Options)
        {
            option.WriteTo(writer);
        }

        writer.WriteEndArray();
    }
}
