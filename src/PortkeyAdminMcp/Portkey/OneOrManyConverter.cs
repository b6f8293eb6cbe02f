using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PortkeyAdminMcp.Portkey;

/// <summary>
/// Reads a list Portkey documents as an array but sometimes sends as one object (a provider's rate_limits: an object in
/// the OpenAPI's requests, an array in answers). Either way the record holds a list; null stays null.
/// </summary>
public sealed class OneOrManyConverter<T> : JsonConverter<List<T>?>
    where T : class
{
    public override bool HandleNull => true;

    public override List<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var item = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                return JsonSerializer.Deserialize(ref reader, item) is { } one ? [one] : [];
            case JsonTokenType.StartArray:
                var list = new List<T>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Null && JsonSerializer.Deserialize(ref reader, item) is { } each)
                    {
                        list.Add(each);
                    }
                }

                return list;
            default:
                throw new JsonException($"Expected an object or an array of {typeof(T).Name}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<T>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        var item = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var each in value)
        {
            JsonSerializer.Serialize(writer, each, item);
        }

        writer.WriteEndArray();
    }
}
