using System.Text.Json;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Portkey.Models;
using PortkeyAdminMcp.Tests.Support;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tests.Validation;

public class LifecycleMappingTests
{
    private const string Id = "60571396-bd81-4e58-8c82-4858930ede0b";

    private static ApiKeyRecord Key(string json) => JsonSerializer.Deserialize(json, PortkeyJsonContext.Default.ApiKeyRecord)!;

    private static VirtualKeyRecord VirtualKey(string json) => JsonSerializer.Deserialize(json, PortkeyJsonContext.Default.VirtualKeyRecord)!;

    [Fact]
    public void Create_maps_the_whole_surface()
    {
        var request = ApiKeyRequests.Create(ToolArguments.Parse("""
            {"name":"a","type":"workspace","sub_type":"service","workspace_id":"ws-a","scopes":["completions.write"],
             "organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11",
             "credit_limit":100000,"usage_limit_type":"tokens","alert_threshold":75,"periodic_reset_days":30,
             "rate_limits":[{"type":"requests","unit":"rps","value":5},{"type":"tokens","unit":"rpw","value":1000000}],
             "rotation_policy":{"rotation_period":"monthly","key_transition_period_ms":3600000},
             "allow_config_override":false,"default_config_id":"pc-1"}
            """));
        PortkeyStub.AssertJsonEqual("""
            {"name":"a","organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11","workspace_id":"ws-a","scopes":["completions.write"],
             "usage_limits":{"type":"tokens","credit_limit":100000,"alert_threshold":75000,"periodic_reset_days":30},
             "rate_limits":[{"type":"requests","unit":"rps","value":5},{"type":"tokens","unit":"rpw","value":1000000}],
             "defaults":{"config_id":"pc-1","allow_config_override":false},
             "rotation_policy":{"rotation_period":"monthly","key_transition_period_ms":3600000}}
            """, request.Body);
    }

    [Fact]
    public void Update_sends_null_for_everything_it_is_asked_to_clear()
    {
        var args = ToolArguments.Parse($$"""
            {"id":"{{Id}}","credit_limit":null,"rate_limits":null,"alert_emails":null,"default_config_id":null,
             "rotation_policy":null,"expires_at":null,"description":null}
            """);
        Assert.True(ApiKeyRequests.UpdateNeedsCurrent(args));
        var request = ApiKeyRequests.Update(args, Key("""{"defaults":{"config_id":"pc-1","metadata":{"a":"b"}}}"""), []);
        PortkeyStub.AssertJsonEqual("""
            {"description":null,"alert_emails":null,"expires_at":null,"rotation_policy":null,"usage_limits":null,"rate_limits":null,
             "defaults":{"config_id":null,"metadata":{"a":"b"}}}
            """, request.Body);
    }

    [Fact]
    public void Update_reset_usage_and_a_new_reset_period_replace_the_old_period()
    {
        var current = Key("""{"usage_limits":{"type":"cost","credit_limit":100,"alert_threshold":80,"periodic_reset":"monthly"}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{Id}}","periodic_reset_days":14,"reset_usage":true}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"usage_limits":{"type":"cost","credit_limit":100,"alert_threshold":80,"periodic_reset_days":14},"reset_usage":true}""", request.Body);
    }

    [Fact]
    public void Update_periodic_reset_null_makes_the_limit_lifetime()
    {
        var current = Key("""{"usage_limits":{"type":"cost","credit_limit":100,"periodic_reset":"weekly"}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{Id}}","periodic_reset":null}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"usage_limits":{"type":"cost","credit_limit":100}}""", request.Body);
    }

    [Fact]
    public void Update_changing_the_limit_type_without_a_new_credit_limit_is_an_error()
    {
        var errors = new List<FieldError>();
        ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{Id}}","usage_limit_type":"tokens"}"""),
            Key("""{"usage_limits":{"type":"cost","credit_limit":100}}"""), errors);
        Assert.Equal(new FieldError("usage_limit_type", "changes the unit of the current credit limit (cost to tokens); give the new credit_limit too"), Assert.Single(errors));
    }

    [Fact]
    public void Update_allow_config_override_keeps_the_pinned_config()
    {
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{Id}}","allow_config_override":true}"""),
            Key("""{"defaults":{"config_id":"pc-1","metadata":null,"allow_config_override":false}}"""), []);
        PortkeyStub.AssertJsonEqual("""{"defaults":{"config_id":"pc-1","allow_config_override":true}}""", request.Body);
    }

    [Fact]
    public void Rotate_posts_to_the_rotate_path_with_the_transition()
    {
        var request = ApiKeyRequests.Rotate(ToolArguments.Parse($$"""{"id":"{{Id}}","key_transition_period_ms":7200000}"""));
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"api-keys/{Id}/rotate", request.Path);
        PortkeyStub.AssertJsonEqual("""{"key_transition_period_ms":7200000}""", request.Body);
        PortkeyStub.AssertJsonEqual("{}", ApiKeyRequests.Rotate(ToolArguments.Parse($$"""{"id":"{{Id}}"}""")).Body);
    }

    [Theory]
    [InlineData("""{}""", "api-keys")]
    [InlineData("""{"page_size":20}""", "api-keys?page_size=20&current_page=0")]
    [InlineData("""{"page_size":20,"current_page":3,"workspace_id":"ws-shared-123"}""", "api-keys?page_size=20&current_page=3&workspace_id=ws-shared-123")]
    public void List_puts_paging_and_workspace_in_the_query(string json, string uri)
    {
        Assert.Equal(uri, ApiKeyRequests.List(ToolArguments.Parse(json)).RelativeUri);
    }

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
    public void Paths_escape_their_segments()
    {
        Assert.Equal("virtual-keys/open.ai_prod-1", VirtualKeyRequests.Get("open.ai_prod-1").Path);
        Assert.Throws<ArgumentException>(() => VirtualKeyRequests.Get(".."));
        Assert.Equal("virtual-keys/a%2Fb", VirtualKeyRequests.Get("a/b").Path);
    }
}
