using System.Text.Json.Serialization;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.Users;

/// <summary>Source-generated contracts for the user area (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(PageRecord<UserRecord>))]
[JsonSerializable(typeof(InviteRecord))]
[JsonSerializable(typeof(PageRecord<InviteRecord>))]
[JsonSerializable(typeof(InviteLinkRecord))]
[JsonSerializable(typeof(UserDetails))]
[JsonSerializable(typeof(Page<UserDetails>))]
[JsonSerializable(typeof(InviteDetails))]
[JsonSerializable(typeof(Page<InviteDetails>))]
[JsonSerializable(typeof(UserChange))]
[JsonSerializable(typeof(SentInvite))]
internal sealed partial class UsersJsonContext : JsonSerializerContext;
