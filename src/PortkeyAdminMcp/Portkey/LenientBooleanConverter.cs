using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortkeyAdminMcp.Portkey;

/// <summary>Reads a flag Portkey sends as true/false, 0/1 or "true"/"0"; writes a plain boolean.</summary>
public sealed class LenientBooleanConverter : JsonConverter<bool?>
{
    public override bool HandleNull => true;

    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.TryGetDouble(out var number) ? number != 0 : null,
        JsonTokenType.String => reader.GetString() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => null,
        },
        _ => throw new JsonException("Expected a boolean-like value."),
    };

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } flag)
        {
            writer.WriteBooleanValue(flag);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
