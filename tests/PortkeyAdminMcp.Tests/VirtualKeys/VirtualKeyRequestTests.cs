using System.Text.Json;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Tests.Support;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Tests.VirtualKeys;

public class VirtualKeyRequestTests
{
    private static VirtualKeyRecord VirtualKey(string json) => JsonSerializer.Deserialize(json, VirtualKeysJsonContext.Default.VirtualKeyRecord)!;

    [Fact]
    public void Virtual_key_create_maps_deployments_secret_mappings_and_expiry()
    {
        var request = VirtualKeyRequests.Create(ToolArguments.Parse("""
            {"key":"az-secret-1","name":"az","provider":"azure-openai","resource_name":"res","expires_at":"2030-01-01T00:00:00Z",
             "deployment_config":[{"deployment_name":"gpt4o","api_version":"2024-10-21","alias":"gpt-4o","is_default":true},
                                  {"deployment_name":"mini","api_version":"2024-10-21","alias":"gpt-4o-mini"}],
             "secret_mappings":[{"target_field":"model_config.azureEntraClientSecret","secret_reference_id":"sr-azure","secret_key":"client_secret"}],
             "credit_limit":10,"periodic_reset":"monthly","rate_limits":[{"type":"tokens","unit":"rph","value":50000}]}
            """));
        PortkeyStub.AssertJsonEqual("""
            {"name":"az","provider":"azure-openai","key":"az-secret-1","resourceName":"res","expires_at":"2030-01-01T00:00:00Z",
             "deploymentConfig":[{"deploymentName":"gpt4o","apiVersion":"2024-10-21","alias":"gpt-4o","is_default":true},
                                 {"deploymentName":"mini","apiVersion":"2024-10-21","alias":"gpt-4o-mini"}],
             "secret_mappings":[{"target_field":"model_config.azureEntraClientSecret","secret_reference_id":"sr-azure","secret_key":"client_secret"}],
             "usage_limits":{"type":"cost","credit_limit":10,"periodic_reset":"monthly"},
             "rate_limits":[{"type":"tokens","unit":"rph","value":50000}]}
            """, request.Body);
    }

    [Fact]
    public void Virtual_key_update_merges_limits_and_clears_what_is_null()
    {
        var current = VirtualKey("""{"slug":"oa","usage_limits":{"type":"cost","credit_limit":100,"alert_threshold":50,"periodic_reset":"weekly"},"rate_limits":[{"type":"tokens","unit":"rpd","value":9}]}""");
        var args = ToolArguments.Parse("""{"slug":"oa","credit_limit":200,"rate_limit_rpm":30,"note":null,"expires_at":null,"key":"sk-new-123456"}""");
        Assert.True(VirtualKeyRequests.UpdateNeedsCurrent(args));
        var request = VirtualKeyRequests.Update(args, current, []);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("virtual-keys/oa", request.Path);
        PortkeyStub.AssertJsonEqual("""
            {"key":"sk-new-123456","note":null,"expires_at":null,
             "usage_limits":{"type":"cost","credit_limit":200,"alert_threshold":100,"periodic_reset":"weekly"},
             "rate_limits":[{"type":"tokens","unit":"rpd","value":9},{"type":"requests","unit":"rpm","value":30}]}
            """, request.Body);
    }

    [Fact]
    public void Virtual_key_create_maps_azure_fields_to_camel_case()
    {
        var request = VirtualKeyRequests.Create(ToolArguments.Parse("""
            {"key":"az-secret-123","name":"az","provider":"azure-openai","note":"n","workspace_id":"ws-a",
             "resource_name":"res","deployment_name":"gpt4o","api_version":"2024-10-21","credit_limit":100,"alert_threshold":75,"rate_limit_rpm":30}
            """));
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("virtual-keys", request.Path);
        PortkeyStub.AssertJsonEqual("""
            {"name":"az","provider":"azure-openai","key":"az-secret-123","note":"n","workspace_id":"ws-a",
             "apiVersion":"2024-10-21","resourceName":"res","deploymentName":"gpt4o",
             "usage_limits":{"type":"cost","credit_limit":100,"alert_threshold":75},
             "rate_limits":[{"type":"requests","unit":"rpm","value":30}]}
            """, request.Body);
    }
}
