using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Portkey.RequestBody;

namespace PortkeyAdminMcp.Workspaces;

/// <summary>Validated workspace and member arguments → the exact Portkey request (reference §2, §3). All under /admin.</summary>
public static class WorkspaceRequests
{
    private const string Admin = "admin";
    private const string Workspaces = "workspaces";
    private const string Users = "users";

    public static PortkeyRequest List(ToolArguments args) =>
        PortkeyRequest.Get([Admin, Workspaces], PageQuery.Filtered(args, PageNaming.Snake, null, "name", "exact_name", "status"));

    public static PortkeyRequest Get(string workspace) => PortkeyRequest.Get([Admin, Workspaces, workspace]);

    /// <summary>The name as stored, without the icon Portkey prefixes for display (name_format=plain): what a delete must repeat.</summary>
    public static PortkeyRequest GetPlainName(string workspace) =>
        PortkeyRequest.Get([Admin, Workspaces, workspace], [new("name_format", "plain")]);

    public static PortkeyRequest Create(ToolArguments args)
    {
        var body = new JsonObject { ["name"] = args.String("name") };
        CopyString(args, body, "description");
        if (args.Get("metadata") is { } metadata)
        {
            body["defaults"] = new JsonObject { ["metadata"] = JsonNode.Parse(metadata.GetRawText()) };
        }

        if (args.Get("users") is { } users)
        {
            body["users"] = JsonNode.Parse(users.GetRawText());
        }

        // Portkey keeps a workspace's limits as lists; the flat arguments make one usage limit, as on a key.
        if (UsageLimits.ForCreate(args) is { } limits)
        {
            body["usage_limits"] = new JsonArray(limits);
        }

        if (LimitRules.RateLimitsFor(args, current: null) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        return PortkeyRequest.Post([Admin, Workspaces], body);
    }

    /// <summary>Defaults are sent whole and limits merged, so both need the workspace as it is now.</summary>
    public static bool UpdateNeedsCurrent(ToolArguments args) =>
        DefaultsTouched(args) || (UsageLimits.Touched(args) && !args.IsNull("credit_limit")) || args.HasValue("rate_limit_rpm");

    private static readonly string[] s_defaults = ["metadata", "input_guardrails", "output_guardrails", "user_api_key_config"];

    private static bool DefaultsTouched(ToolArguments args) => s_defaults.Any(args.Has);

    public static PortkeyRequest Update(ToolArguments args, WorkspaceRecord? current, List<FieldError> errors)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyString(args, body, "description");
        if (DefaultsTouched(args))
        {
            // Whether Portkey merges a partial defaults object is not documented: send it whole, the current values
            // kept and the given ones changed, so nothing is dropped by accident.
            var defaults = new JsonObject();
            var now = current?.Defaults;
            SetDefault(defaults, "metadata", args, now?.Metadata is { Count: > 0 } metadata ? JsonSerializer.SerializeToNode(metadata, WorkspacesJsonContext.Default.DictionaryStringJsonElement) : null);
            SetDefault(defaults, "input_guardrails", args, now?.InputGuardrails is { } input ? StringArray(input) : null);
            SetDefault(defaults, "output_guardrails", args, now?.OutputGuardrails is { } output ? StringArray(output) : null);
            SetDefault(defaults, "user_api_key_config", args, now?.UserApiKeyConfig is { } config ? JsonValue.Create(config) : null);
            body["defaults"] = defaults;
        }

        if (UsageLimits.Touched(args))
        {
            body["usage_limits"] = UsageLimitsFor(args, current?.UsageLimits, errors);
        }

        if (LimitRules.RateLimitsFor(args, current?.RateLimits) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        return PortkeyRequest.Put([Admin, Workspaces, args.String("workspace_id")!], body);
    }

    /// <summary>
    /// The workspace's usage limits with the flat arguments merged into the one they are about (the given type's, or
    /// the only one), as update_api_key merges a key's; the others are kept. credit_limit null removes them all.
    /// </summary>
    private static JsonArray? UsageLimitsFor(ToolArguments args, List<UsageLimitsRecord>? current, List<FieldError> errors)
    {
        if (args.IsNull("credit_limit"))
        {
            return null;
        }

        var all = current ?? [];
        var type = args.String("usage_limit_type");
        // The limit of the given type, else the only one (a changed type then replaces it, as on a key).
        var target = (type is null ? null : all.FirstOrDefault(limit => limit.Type == type)) ?? (all.Count == 1 ? all[0] : null);
        if (target is null && type is null && all.Count > 1)
        {
            errors.Add(new FieldError("usage_limit_type", "the workspace has several usage limits; say which one (cost or tokens) to change"));
            return null;
        }

        var merged = UsageLimits.ForUpdate(target, args, errors);
        var mergedType = merged?["type"]?.GetValue<string>();
        var kept = all.Where(limit => !ReferenceEquals(limit, target) && limit.Type != mergedType)
            .Select(limit => JsonSerializer.SerializeToNode(limit, WorkspacesJsonContext.Default.UsageLimitsRecord));
        return new JsonArray([.. kept, merged]);
    }

    private static void SetDefault(JsonObject defaults, string name, ToolArguments args, JsonNode? current)
    {
        if (args.Has(name))
        {
            defaults[name] = args.Get(name) is { } given ? JsonNode.Parse(given.GetRawText()) : null;
        }
        else if (current is not null)
        {
            defaults[name] = current;
        }
    }

    /// <summary>Portkey's delete wants the workspace's name in the body (reference §2.4); the plan reads it first.</summary>
    public static PortkeyRequest Delete(string workspace, string name) =>
        PortkeyRequest.Delete([Admin, Workspaces, workspace], body: new JsonObject { ["name"] = name });

    public static PortkeyRequest ListMembers(ToolArguments args) => PortkeyRequest.Get(
        [Admin, Workspaces, args.String("workspace_id")!, Users],
        PageQuery.Filtered(args, PageNaming.Snake, WorkspaceContracts.MemberPageSize, "role", "email"));

    public static PortkeyRequest GetMember(string workspace, string user) => PortkeyRequest.Get([Admin, Workspaces, workspace, Users, user]);

    public static PortkeyRequest GetMember(ToolArguments args) => GetMember(args.String("workspace_id")!, args.String("user_id")!);

    /// <summary>Portkey adds members in batches; one tool call adds one.</summary>
    public static PortkeyRequest AddMember(ToolArguments args) => PortkeyRequest.Post(
        [Admin, Workspaces, args.String("workspace_id")!, Users],
        new JsonObject { ["users"] = new JsonArray(new JsonObject { ["id"] = args.String("user_id"), ["role"] = args.String("role") }) });

    public static PortkeyRequest UpdateMember(ToolArguments args) => PortkeyRequest.Put(
        [Admin, Workspaces, args.String("workspace_id")!, Users, args.String("user_id")!],
        new JsonObject { ["role"] = args.String("role") });

    public static PortkeyRequest RemoveMember(ToolArguments args) =>
        PortkeyRequest.Delete([Admin, Workspaces, args.String("workspace_id")!, Users, args.String("user_id")!]);
}
