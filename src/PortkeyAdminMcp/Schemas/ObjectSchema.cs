using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

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

        // An object with far more members than it can hold is one error, not one per member: a line of 450 000 unknown
        // names must cost a few bytes of answer, not megabytes of errors and an edit distance each.
        var count = value.CountMembers();
        var most = MaxProperties ?? (Extra == ExtraProperties.Forbidden ? Properties.Count + MaxUnknown : int.MaxValue);
        if (count > most)
        {
            errors.Add(new FieldError(string.IsNullOrEmpty(path) ? "(arguments)" : path,
                Extra == ExtraProperties.Forbidden && MaxProperties is null
                    ? $"has {count} members, more than this takes ({Properties.Count} known: {string.Join(", ", Properties.Select(p => p.Key))})"
                    : $"must have at most {most} entries (got {count})"));
            return;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in value.EnumerateObject())
        {
            var memberPath = Path(path, member.Name);
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

    /// <summary>Unknown members tolerated in a closed object before it is refused whole (each gets its own error up to here).</summary>
    public const int MaxUnknown = 16;

    /// <summary>A member's path in an error, its name shortened: an agent's 7 MB name is not echoed back.</summary>
    private static string Path(string path, string name)
    {
        var shown = name.Length > 64 ? string.Concat(name.AsSpan(0, 61), "...") : name;
        return string.IsNullOrEmpty(path) ? shown : $"{path}.{shown}";
    }

    private string UnknownMessage(string name)
    {
        var suggestion = NameSuggestion.Closest(name, Properties.Select(p => p.Key));
        var known = string.Join(", ", Properties.Select(p => p.Key));
        return suggestion is null
            ? $"is not a known argument (known: {known})"
            : $"is not a known argument; did you mean '{suggestion}'?";
    }

    protected override void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment)
    {
        if (Properties.Count > 0 || Extra == ExtraProperties.Forbidden)
        {
            writer.WriteStartObject("properties");
            foreach (var property in Properties)
            {
                writer.WritePropertyName(property.Key);
                property.Value.WriteTo(writer, environment);
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
                Values.WriteTo(writer, environment);
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
