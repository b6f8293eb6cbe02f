using System.Text.Json.Nodes;
using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.Validation;

/// <summary>Validated virtual-key arguments → the exact Portkey request.</summary>
public static class VirtualKeyRequests
{
    public static PortkeyRequest Create(ToolArguments args)
    {
        var body = new JsonObject
        {
            ["name"] = args.String("name"),
            ["provider"] = args.String("provider"),
            ["key"] = args.String("key"),
        };
        ApiKeyRequests.CopyString(args, body, "note");
        ApiKeyRequests.CopyString(args, body, "workspace_id");
        // Portkey spells the Azure fields in camelCase.
        ApiKeyRequests.CopyString(args, body, "api_version", "apiVersion");
        ApiKeyRequests.CopyString(args, body, "resource_name", "resourceName");
        ApiKeyRequests.CopyString(args, body, "deployment_name", "deploymentName");

        if (args.Integer("credit_limit") is { } creditLimit)
        {
            body["usage_limits"] = UsageLimits.ForCreate(creditLimit, args.Number("alert_threshold"));
        }

        if (args.Integer("rate_limit_rpm") is { } rpm)
        {
            body["rate_limits"] = new JsonArray(ApiKeyRequests.RequestsPerMinute(rpm));
        }

        return PortkeyRequest.Post(["virtual-keys"], body);
    }
}
