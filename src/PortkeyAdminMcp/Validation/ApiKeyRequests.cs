using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Portkey.Models;

namespace PortkeyAdminMcp.Validation;

/// <summary>Validated tool arguments → the exact Portkey request (reference §6 of the API contract).</summary>
public static class ApiKeyRequests
{
    public static PortkeyRequest Create(ToolArguments args)
    {
        var body = new JsonObject { ["name"] = args.String("name") };
        CopyString(args, body, "description");
        CopyString(args, body, "workspace_id");
        CopyString(args, body, "user_id");
        body["scopes"] = StringArray(args.Strings("scopes")!);
        if (args.Strings("alert_emails") is { } emails)
        {
            body["alert_emails"] = StringArray(emails);
        }

        CopyString(args, body, "expires_at");

        if (args.Integer("credit_limit") is { } creditLimit)
        {
            body["usage_limits"] = UsageLimits.ForCreate(creditLimit, args.Number("alert_threshold"));
        }

        if (args.Integer("rate_limit_rpm") is { } rpm)
        {
            body["rate_limits"] = new JsonArray(RequestsPerMinute(rpm));
        }

        var defaults = Defaults(args, current: null);
        if (defaults is not null)
        {
            body["defaults"] = defaults;
        }

        return PortkeyRequest.Post(["api-keys", args.String("type")!, args.String("sub_type")!], body);
    }

    public static PortkeyRequest Get(string id) => PortkeyRequest.Get(["api-keys", id]);

    /// <summary>Whether building the update needs the key's current state first (limits and defaults are merged).</summary>
    public static bool UpdateNeedsCurrent(ToolArguments args) =>
        args.HasValue("credit_limit") || args.HasValue("alert_threshold") || args.HasValue("rate_limit_rpm") ||
        args.HasValue("default_config_id") || args.HasValue("default_metadata");

    public static PortkeyRequest Update(ToolArguments args, ApiKeyRecord? current, List<FieldError> errors)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyString(args, body, "description");
        if (args.Strings("scopes") is { } scopes)
        {
            body["scopes"] = StringArray(scopes);
        }

        if (args.Strings("alert_emails") is { } emails)
        {
            body["alert_emails"] = StringArray(emails);
        }

        if (args.Has("expires_at"))
        {
            // JSON null is how Portkey removes an expiry.
            body["expires_at"] = args.String("expires_at");
        }

        if (args.HasValue("credit_limit") || args.HasValue("alert_threshold"))
        {
            body["usage_limits"] = UsageLimits.ForUpdate(current?.UsageLimits, args.Integer("credit_limit"), args.Number("alert_threshold"), out var error);
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        if (args.Integer("rate_limit_rpm") is { } rpm)
        {
            var kept = (current?.RateLimits ?? [])
                .Where(limit => !(limit.Type == "requests" && limit.Unit == "rpm") && limit.Type is not null && limit.Unit is not null && limit.Value is not null)
                .Select(limit => (JsonNode)new JsonObject { ["type"] = limit.Type, ["unit"] = limit.Unit, ["value"] = UsageLimits.Number(limit.Value!.Value) });
            body["rate_limits"] = new JsonArray([.. kept, RequestsPerMinute(rpm)]);
        }

        var defaults = Defaults(args, current?.Defaults);
        if (defaults is not null)
        {
            body["defaults"] = defaults;
        }

        return PortkeyRequest.Put(["api-keys", args.String("id")!], body);
    }

    private static JsonObject? Defaults(ToolArguments args, ApiKeyDefaultsRecord? current)
    {
        var configId = args.String("default_config_id");
        var metadata = args.Get("default_metadata");
        if (configId is null && metadata is null)
        {
            return null;
        }

        // PUT replaces the defaults object, so what the caller did not change is carried over.
        var defaults = new JsonObject();
        if ((configId ?? current?.ConfigId) is { } config)
        {
            defaults["config_id"] = config;
        }

        if (metadata is { } given)
        {
            defaults["metadata"] = JsonNode.Parse(given.GetRawText());
        }
        else if (current?.Metadata is { Count: > 0 } currentMetadata)
        {
            defaults["metadata"] = JsonSerializer.SerializeToNode(currentMetadata, PortkeyJsonContext.Default.DictionaryStringJsonElement);
        }

        if (current?.AllowConfigOverride is { } allow)
        {
            defaults["allow_config_override"] = allow;
        }

        return defaults;
    }

    internal static JsonObject RequestsPerMinute(long value) =>
        new() { ["type"] = "requests", ["unit"] = "rpm", ["value"] = value };

    internal static JsonArray StringArray(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    internal static void CopyString(ToolArguments args, JsonObject body, string name, string? bodyName = null)
    {
        if (args.String(name) is { } value)
        {
            body[bodyName ?? name] = value;
        }
    }
}
