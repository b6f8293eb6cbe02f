using System.Text.Json;

namespace PortkeyAdminMcp.Schemas;

/// <summary>
/// The raw arguments of one tool call. Absent and <c>null</c> are different things here
/// (on update, <c>expires_at: null</c> clears the expiry; leaving it out keeps it), which is why
/// tools read the raw dictionary rather than bound parameters.
/// </summary>
public sealed class ToolArguments
{
    private static readonly Dictionary<string, JsonElement> s_empty = [];

    private readonly IReadOnlyDictionary<string, JsonElement> _values;

    public ToolArguments(IReadOnlyDictionary<string, JsonElement>? values)
    {
        _values = values ?? s_empty;
    }

    public static ToolArguments From(IDictionary<string, JsonElement>? values) =>
        new(values is null ? null : new Dictionary<string, JsonElement>(values, StringComparer.Ordinal));

    public static ToolArguments Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.Clone();
        }

        return new ToolArguments(values);
    }

    public IEnumerable<string> Names => _values.Keys;

    /// <summary>The arguments as one JSON object, for validation against the tool's input schema.</summary>
    public JsonElement AsObject()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in _values)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value as sent, JSON null included.</summary>
    public JsonElement Raw(string name) => _values[name];

    /// <summary>A copy with some values replaced (normalised spellings).</summary>
    public ToolArguments With(IReadOnlyDictionary<string, JsonElement> replacements)
    {
        var values = new Dictionary<string, JsonElement>(_values, StringComparer.Ordinal);
        foreach (var (name, value) in replacements)
        {
            values[name] = value;
        }

        return new ToolArguments(values);
    }

    /// <summary>Given, and given as a value rather than JSON null.</summary>
    public bool HasValue(string name) => _values.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Given explicitly as JSON null (a request to clear).</summary>
    public bool IsNull(string name) => _values.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Null;

    public JsonElement? Get(string name) =>
        _values.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(string name) => Get(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public double? Number(string name) => Get(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    public long? Integer(string name) => Number(name) is { } number ? (long)number : null;

    public bool? Boolean(string name) => Get(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    public IReadOnlyList<string>? Strings(string name) =>
        Get(name) is { ValueKind: JsonValueKind.Array } value
            ? value.EnumerateArray().Select(item => item.GetString() ?? string.Empty).ToList()
            : null;
}
