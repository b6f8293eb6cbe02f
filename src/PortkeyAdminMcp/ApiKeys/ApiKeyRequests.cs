using System.Text.Json.Nodes;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Portkey.RequestBody;

namespace PortkeyAdminMcp.ApiKeys;

/// <summary>Validated tool arguments → the exact Portkey request (reference §2 and §6 of the API contract).</summary>
public static class ApiKeyRequests
{
    public static PortkeyRequest Create(ToolArguments args)
    {
        var body = new JsonObject { ["name"] = args.String("name") };
        CopyString(args, body, "description");
        CopyString(args, body, "organisation_id");
        CopyString(args, body, "workspace_id");
        CopyString(args, body, "user_id");
        body["scopes"] = StringArray(args.Strings("scopes")!);
        if (args.Strings("alert_emails") is { } emails)
        {
            body["alert_emails"] = StringArray(emails);
        }

        CopyString(args, body, "expires_at");

        if (UsageLimits.ForCreate(args) is { } limits)
        {
            body["usage_limits"] = limits;
        }

        if (LimitRules.RateLimitsFor(args, current: null) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        if (Defaults(args, current: null, currentTopLevelOverride: null) is { } defaults)
        {
            body["defaults"] = defaults;
        }

        if (RotationPolicyFor(args) is { } policy)
        {
            body["rotation_policy"] = policy;
        }

        return PortkeyRequest.Post(["api-keys", args.String("type")!, args.String("sub_type")!], body);
    }

    public static PortkeyRequest Get(string id) => PortkeyRequest.Get(["api-keys", id]);

    public static PortkeyRequest Delete(ToolArguments args) => PortkeyRequest.Delete(["api-keys", args.String("id")!]);

    public static PortkeyRequest Rotate(ToolArguments args)
    {
        var body = new JsonObject();
        if (args.Integer("key_transition_period_ms") is { } transition)
        {
            body["key_transition_period_ms"] = transition;
        }

        return PortkeyRequest.Post(["api-keys", args.String("id")!, "rotate"], body);
    }

    public static PortkeyRequest List(ToolArguments args) => PortkeyRequest.Get(["api-keys"], PageQuery.From(args));

    /// <summary>Whether building the update needs the key's current state first (limits and defaults are merged).</summary>
    public static bool UpdateNeedsCurrent(ToolArguments args) =>
        (UsageLimits.Touched(args) && !args.IsNull("credit_limit")) || args.HasValue("rate_limit_rpm") ||
        args.Has("default_config_id") || args.Has("default_metadata") || args.Has("allow_config_override");

    public static PortkeyRequest Update(ToolArguments args, ApiKeyRecord? current, List<FieldError> errors)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyNullable(args, body, "description");
        if (args.Has("scopes"))
        {
            body["scopes"] = StringArray(args.Strings("scopes")!);
        }

        if (args.Has("alert_emails"))
        {
            body["alert_emails"] = args.Strings("alert_emails") is { } emails ? StringArray(emails) : null;
        }

        // JSON null is how Portkey removes an expiry or a rotation policy.
        CopyNullable(args, body, "expires_at");
        if (args.Has("rotation_policy"))
        {
            body["rotation_policy"] = RotationPolicyFor(args);
        }

        if (UsageLimits.Touched(args))
        {
            body["usage_limits"] = UsageLimits.ForUpdate(current?.UsageLimits, args, errors);
        }

        if (LimitRules.RateLimitsFor(args, current?.RateLimits) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        if (Defaults(args, current?.Defaults, current?.AllowConfigOverride) is { } defaults)
        {
            body["defaults"] = defaults;
        }

        if (args.Boolean("reset_usage") is { } reset)
        {
            body["reset_usage"] = reset;
        }

        return PortkeyRequest.Put(["api-keys", args.String("id")!], body);
    }

    /// <param name="currentTopLevelOverride">Live records carry the flag as a top-level 0/1 when defaults lack it.</param>
    private static JsonObject? Defaults(ToolArguments args, ApiKeyDefaultsRecord? current, bool? currentTopLevelOverride)
    {
        if (!args.Has("default_config_id") && !args.Has("default_metadata") && !args.Has("allow_config_override"))
        {
            return null;
        }

        // PUT replaces the defaults object, so what the caller did not change is carried over.
        var defaults = new JsonObject();
        if (args.Has("default_config_id"))
        {
            defaults["config_id"] = args.String("default_config_id");
        }
        else if (current?.ConfigId is { } config)
        {
            defaults["config_id"] = config;
        }

        if (args.Has("default_metadata"))
        {
            defaults["metadata"] = args.Get("default_metadata") is { } given ? JsonNode.Parse(given.GetRawText()) : null;
        }
        else if (current?.Metadata is { Count: > 0 } currentMetadata)
        {
            defaults["metadata"] = System.Text.Json.JsonSerializer.SerializeToNode(currentMetadata, PortkeyJsonContext.Default.DictionaryStringJsonElement);
        }

        if ((args.Boolean("allow_config_override") ?? current?.AllowConfigOverride ?? currentTopLevelOverride) is { } allow)
        {
            defaults["allow_config_override"] = allow;
        }

        return defaults;
    }

    private static JsonNode? RotationPolicyFor(ToolArguments args) =>
        args.Get("rotation_policy") is { } policy ? JsonNode.Parse(policy.GetRawText()) : null;
}
