using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Portkey.Models;

namespace PortkeyAdminMcp.Portkey;

/// <summary>Source-generated contracts for everything read from Portkey (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiKeyRecord))]
[JsonSerializable(typeof(CreatedApiKeyRecord))]
[JsonSerializable(typeof(RotatedApiKeyRecord))]
[JsonSerializable(typeof(VirtualKeyRecord))]
[JsonSerializable(typeof(PageRecord<ApiKeyRecord>))]
[JsonSerializable(typeof(PageRecord<VirtualKeyRecord>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class PortkeyJsonContext : JsonSerializerContext;
