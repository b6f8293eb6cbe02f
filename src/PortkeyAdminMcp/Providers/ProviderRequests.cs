using System.Text.Json.Nodes;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.VirtualKeys;
using static PortkeyAdminMcp.Portkey.RequestBody;

namespace PortkeyAdminMcp.Providers;

/// <summary>
/// Validated provider arguments → the exact Portkey request (reference §7). The workspace goes in the body of a create
/// and in the query of every other call; rate limits go as a list, as Portkey answers them and its own tools send them.
/// </summary>
public static class ProviderRequests
{
    private const string Providers = "providers";

    private static List<KeyValuePair<string, string>> Workspace(ToolArguments args) => PageQuery.Filter([], args, "workspace_id");

    public static PortkeyRequest List(ToolArguments args) => PortkeyRequest.Get([Providers], PageQuery.From(args));

    public static PortkeyRequest Get(ToolArguments args) => PortkeyRequest.Get([Providers, args.String("slug")!], Workspace(args));

    public static PortkeyRequest Delete(ToolArguments args) => PortkeyRequest.Delete([Providers, args.String("slug")!], Workspace(args));

    public static PortkeyRequest Create(ToolArguments args)
    {
        var body = new JsonObject { ["name"] = args.String("name"), ["integration_id"] = args.String("integration_id") };
        CopyString(args, body, "workspace_id");
        CopyString(args, body, "slug");
        CopyString(args, body, "note");
        CopyString(args, body, "expires_at");
        if (UsageLimits.ForCreate(args) is { } limits)
        {
            body["usage_limits"] = limits;
        }

        if (LimitRules.RateLimitsFor(args, current: null) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        return PortkeyRequest.Post([Providers], body);
    }

    public static bool UpdateNeedsCurrent(ToolArguments args) => VirtualKeyRequests.UpdateNeedsCurrent(args);

    public static PortkeyRequest Update(ToolArguments args, VirtualKeyRecord? current, List<FieldError> errors)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyNullable(args, body, "note");
        CopyNullable(args, body, "expires_at");
        if (args.Boolean("reset_usage") is { } reset)
        {
            body["reset_usage"] = reset;
        }

        if (UsageLimits.Touched(args))
        {
            body["usage_limits"] = UsageLimits.ForUpdate(current?.UsageLimits, args, errors);
        }

        if (LimitRules.RateLimitsFor(args, current?.RateLimits) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        return PortkeyRequest.Put([Providers, args.String("slug")!], body, Workspace(args));
    }
}
