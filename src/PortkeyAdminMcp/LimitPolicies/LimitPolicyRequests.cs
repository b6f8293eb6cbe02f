using System.Text.Json.Nodes;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Portkey.RequestBody;

namespace PortkeyAdminMcp.LimitPolicies;

/// <summary>
/// Validated policy arguments → the exact Portkey request (reference §9, §10). Limits use the key tools' one
/// implementation: alert_threshold is a percent converted to Portkey's amount, and an update reads the policy first
/// and merges exactly as update_api_key does.
/// </summary>
public static class LimitPolicyRequests
{
    private const string Policies = "policies";
    public const string Usage = "usage-limits";
    public const string Rate = "rate-limits";

    /// <summary>The limit arguments; an update that touches none of them needs no read first.</summary>
    private static readonly string[] s_limitFields = ["credit_limit", "alert_threshold", "periodic_reset", "periodic_reset_days"];

    public static PortkeyRequest List(string kind, ToolArguments args, params string[] filters) =>
        PortkeyRequest.Get([Policies, kind], PageQuery.Filtered(args, PageNaming.Snake, null, ["workspace_id", "status", .. filters]));

    public static PortkeyRequest Get(string kind, ToolArguments args) =>
        PortkeyRequest.Get([Policies, kind, args.String("id")!], PageQuery.Filter([], args, "status", "include_usage"));

    public static PortkeyRequest Delete(string kind, ToolArguments args) => PortkeyRequest.Delete([Policies, kind, args.String("id")!]);

    public static PortkeyRequest ListEntities(ToolArguments args) =>
        PortkeyRequest.Get([Policies, Usage, args.String("limit_id")!, "entities"], PageQuery.Filtered(args, PageNaming.Snake, null, "status", "search"));

    public static PortkeyRequest ResetEntity(ToolArguments args) =>
        PortkeyRequest.Put([Policies, Usage, args.String("limit_id")!, "entities", args.String("entity_id")!, "reset"], body: null);

    public static PortkeyRequest CreateUsage(ToolArguments args)
    {
        var body = Common(args);
        body["type"] = args.String("type");
        var limit = args.Integer("credit_limit")!.Value;
        body["credit_limit"] = limit;
        if (args.Number("alert_threshold") is { } percent)
        {
            body["alert_threshold"] = UsageLimits.AbsoluteAlert(percent, limit);
        }

        CopyString(args, body, "periodic_reset");
        if (args.Integer("periodic_reset_days") is { } days)
        {
            body["periodic_reset_days"] = days;
        }

        CopyString(args, body, "workspace_id");
        return PortkeyRequest.Post([Policies, Usage], body);
    }

    public static bool UpdateNeedsCurrent(ToolArguments args) => s_limitFields.Any(args.Has);

    public static PortkeyRequest UpdateUsage(ToolArguments args, UsageLimitPolicyRecord? current, List<FieldError> errors)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyNullable(args, body, "description");
        CopyJson(args, body, "conditions");
        CopyString(args, body, "reset_usage_for_value");
        if (UpdateNeedsCurrent(args) && UsageLimits.ForUpdate(current?.Limits, args, errors) is JsonObject merged)
        {
            // The type never changes on a policy; the rest is the merged limit, laid flat as policies carry it.
            foreach (var field in s_limitFields.Where(merged.ContainsKey))
            {
                body[field] = merged[field]?.DeepClone();
            }

            // A policy resets weekly or monthly, or every N days, or never: setting one clears the other, and null on
            // the one given clears both (the budget becomes cumulative).
            if (args.Has("periodic_reset"))
            {
                body["periodic_reset"] = args.String("periodic_reset");
                body["periodic_reset_days"] = null;
            }
            else if (args.Has("periodic_reset_days"))
            {
                body["periodic_reset_days"] = args.Integer("periodic_reset_days");
                body["periodic_reset"] = null;
            }
        }

        return PortkeyRequest.Put([Policies, Usage, args.String("id")!], body);
    }

    public static PortkeyRequest CreateRate(ToolArguments args)
    {
        var body = Common(args);
        body["type"] = args.String("type");
        body["unit"] = args.String("unit");
        body["value"] = args.Integer("value");
        CopyString(args, body, "target");
        CopyString(args, body, "workspace_id");
        return PortkeyRequest.Post([Policies, Rate], body);
    }

    public static PortkeyRequest UpdateRate(ToolArguments args)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyNullable(args, body, "description");
        CopyJson(args, body, "conditions");
        CopyString(args, body, "unit");
        if (args.Integer("value") is { } value)
        {
            body["value"] = value;
        }

        return PortkeyRequest.Put([Policies, Rate, args.String("id")!], body);
    }

    private static JsonObject Common(ToolArguments args)
    {
        var body = new JsonObject { ["name"] = args.String("name") };
        CopyString(args, body, "description");
        CopyJson(args, body, "conditions");
        CopyJson(args, body, "group_by");
        return body;
    }
}
