using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.ApiKeys;

/// <summary>Source-generated contracts for the API-key area: what Portkey answers and what the tools return (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiKeyRecord))]
[JsonSerializable(typeof(CreatedApiKeyRecord))]
[JsonSerializable(typeof(RotatedApiKeyRecord))]
[JsonSerializable(typeof(PageRecord<ApiKeyRecord>))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(UpdatedApiKey))]
[JsonSerializable(typeof(ApiKeyDetails))]
[JsonSerializable(typeof(Page<ApiKeyDetails>))]
[JsonSerializable(typeof(RotatedApiKey))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class ApiKeysJsonContext : JsonSerializerContext;
