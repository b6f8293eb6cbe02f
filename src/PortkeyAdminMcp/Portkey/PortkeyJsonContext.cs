using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortkeyAdminMcp.Portkey;

/// <summary>Source-generated contracts the client itself needs; each area has its own for its records and results.</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class PortkeyJsonContext : JsonSerializerContext;
