using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.Workspaces;

/// <summary>Source-generated contracts for the workspace area (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkspaceRecord))]
[JsonSerializable(typeof(PageRecord<WorkspaceRecord>))]
[JsonSerializable(typeof(WorkspaceMemberRecord))]
[JsonSerializable(typeof(PageRecord<WorkspaceMemberRecord>))]
[JsonSerializable(typeof(UsageLimitsRecord))]
[JsonSerializable(typeof(RateLimitRecord))]
[JsonSerializable(typeof(WorkspaceDetails))]
[JsonSerializable(typeof(Page<WorkspaceDetails>))]
[JsonSerializable(typeof(WorkspaceMemberDetails))]
[JsonSerializable(typeof(Page<WorkspaceMemberDetails>))]
[JsonSerializable(typeof(WorkspaceChange))]
[JsonSerializable(typeof(MemberChange))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class WorkspacesJsonContext : JsonSerializerContext;
