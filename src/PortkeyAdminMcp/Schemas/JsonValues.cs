using System.Buffers;
using System.Text.Json;

namespace PortkeyAdminMcp.Schemas;

/// <summary>Small builders for <see cref="JsonElement"/> values without reflection-based serialization.</summary>
public static class JsonValues
{
    /// <summary>
    /// A string value. Text that arrived as JSON may hold a lone surrogate (<c>"\ud800"</c>), which no writer accepts;
    /// it is replaced by U+FFFD, so masking or recording such a value can never fail the call that carries it.
    /// </summary>
    public static JsonElement String(string text) => Build(writer => writer.WriteStringValue(Clean(text)));

    /// <summary>Replaces lone surrogates with U+FFFD; returns the same string when there are none.</summary>
    public static string Clean(string text)
    {
        var bad = -1;
        for (var i = 0; i < text.Length && bad < 0; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                bad = i;
            }
        }

        if (bad < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = bad; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    /// <summary>How many members a JSON object has.</summary>
    public static int CountMembers(this JsonElement value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateObject())
        {
            count++;
        }

        return count;
    }

    public static JsonElement Array(IEnumerable<JsonElement> items) => Build(writer =>
    {
        writer.WriteStartArray();
        foreach (var item in items)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
    });

    public static JsonElement Object(IEnumerable<KeyValuePair<string, JsonElement>> members) => Build(writer =>
    {
        writer.WriteStartObject();
        foreach (var (name, value) in members)
        {
            writer.WritePropertyName(Clean(name));
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    });

    public static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
