using System.Text.Json.Serialization;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.VirtualKeys;

/// <summary>Source-generated contracts for the virtual-key area: what Portkey answers and what the tools return.</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VirtualKeyRecord))]
[JsonSerializable(typeof(PageRecord<VirtualKeyRecord>))]
[JsonSerializable(typeof(CreatedVirtualKey))]
[JsonSerializable(typeof(VirtualKeyDetails))]
[JsonSerializable(typeof(Page<VirtualKeyDetails>))]
[JsonSerializable(typeof(UpdatedVirtualKey))]
internal sealed partial class VirtualKeysJsonContext : JsonSerializerContext;
