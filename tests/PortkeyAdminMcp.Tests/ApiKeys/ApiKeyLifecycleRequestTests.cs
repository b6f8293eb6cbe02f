using System.Text.Json;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.ApiKeys;

public class ApiKeyLifecycleRequestTests
{
    private const string Id = "60571396-bd81-4e58-8c82-4858930ede0b";

    private static ApiKeyRecord Key(string json) => JsonSerializer.Deserialize(json, ApiKeysJsonContext.Default.ApiKeyRecord)!;

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
}
