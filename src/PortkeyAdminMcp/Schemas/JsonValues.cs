using System.Buffers;
using System.Text.Json;

namespace PortkeyAdminMcp.Schemas;

/// <summary>Small builders for <see cref="JsonElement"/> values without reflection-based serialization.</summary>
public static class JsonValues
{
    public static JsonElement String(string text) => Build(writer => writer.WriteStringValue(text));

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
            writer.WritePropertyName(name);
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
