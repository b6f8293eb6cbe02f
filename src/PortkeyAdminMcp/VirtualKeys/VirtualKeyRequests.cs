using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;
using static PortkeyAdminMcp.Portkey.RequestBody;

namespace PortkeyAdminMcp.VirtualKeys;

/// <summary>Validated virtual-key arguments → the exact Portkey request (reference §3).</summary>
public static class VirtualKeyRequests
{
    public static PortkeyRequest Create(ToolArguments args, KeyReferences? references = null, List<FieldError>? errors = null)
    {
        var body = new JsonObject
        {
            ["name"] = args.String("name"),
            ["provider"] = args.String("provider"),
        };
        CopyString(args, body, "note");
        CopyString(args, body, "workspace_id");
        // Portkey spells the Azure fields in camelCase.
        CopyString(args, body, "api_version", "apiVersion");
        CopyString(args, body, "resource_name", "resourceName");
        CopyString(args, body, "deployment_name", "deploymentName");
        CopyString(args, body, "expires_at");
        CopyShared(args, body);
        (references ?? KeyReferences.None).ResolveInto(args, body, errors);

        if (UsageLimits.ForCreate(args) is { } limits)
        {
            body["usage_limits"] = limits;
        }

        if (LimitRules.RateLimitsFor(args, current: null) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        return PortkeyRequest.Post(["virtual-keys"], body).WithSecretField("key");
    }

    public static PortkeyRequest Get(string slug) => PortkeyRequest.Get(["virtual-keys", slug]);

    public static PortkeyRequest List(ToolArguments args) => PortkeyRequest.Get(["virtual-keys"], PageQuery.From(args));

    public static PortkeyRequest Delete(ToolArguments args) => PortkeyRequest.Delete(["virtual-keys", args.String("slug")!]);

    public static bool UpdateNeedsCurrent(ToolArguments args) =>
        (UsageLimits.Touched(args) && !args.IsNull("credit_limit")) || args.HasValue("rate_limit_rpm");

    public static PortkeyRequest Update(ToolArguments args, VirtualKeyRecord? current, List<FieldError> errors, KeyReferences? references = null)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyNullable(args, body, "note");
        CopyNullable(args, body, "expires_at");
        CopyShared(args, body);
        (references ?? KeyReferences.None).ResolveInto(args, body, errors);

        if (UsageLimits.Touched(args))
        {
            body["usage_limits"] = UsageLimits.ForUpdate(current?.UsageLimits, args, errors);
        }

        if (LimitRules.RateLimitsFor(args, current?.RateLimits) is { Send: true } rateLimits)
        {
            body["rate_limits"] = rateLimits.Value;
        }

        return PortkeyRequest.Put(["virtual-keys", args.String("slug")!], body).WithSecretField("key");
    }

    private static void CopyShared(ToolArguments args, JsonObject body)
    {
        if (args.Get("deployment_config") is { } deployments)
        {
            body["deploymentConfig"] = new JsonArray([.. deployments.EnumerateArray().Select(Deployment)]);
        }

        if (args.Get("secret_mappings") is { } mappings)
        {
            body["secret_mappings"] = JsonNode.Parse(mappings.GetRawText());
        }
    }

    private static JsonNode Deployment(JsonElement item)
    {
        var deployment = new JsonObject
        {
            ["deploymentName"] = item.GetProperty("deployment_name").GetString(),
            ["apiVersion"] = item.GetProperty("api_version").GetString(),
        };
        if (item.TryGetProperty("alias", out var alias))
        {
            deployment["alias"] = alias.GetString();
        }

        if (item.TryGetProperty("is_default", out var isDefault))
        {
            deployment["is_default"] = isDefault.GetBoolean();
        }

        return deployment;
    }
}
