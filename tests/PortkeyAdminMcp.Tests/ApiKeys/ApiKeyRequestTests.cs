using System.Text.Json;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.ApiKeys;

public class ApiKeyRequestTests
{
    private const string KeyId = "60571396-bd81-4e58-8c82-4858930ede0b";

    private static ApiKeyRecord Record(string json) =>
        JsonSerializer.Deserialize(json, ApiKeysJsonContext.Default.ApiKeyRecord)!;

    [Fact]
    public void Create_puts_type_and_sub_type_in_the_path_and_nests_limits_and_defaults()
    {
        var request = ApiKeyRequests.Create(ToolArguments.Parse("""
            {"name":"ci","type":"workspace","sub_type":"user","workspace_id":"ws-a","user_id":"123e4567-e89b-12d3-a456-426614174000",
             "scopes":["completions.write","logs.view"],"description":"d","alert_emails":["ops@example.com"],
             "expires_at":"2030-01-01T00:00:00Z","credit_limit":250,"alert_threshold":80,"rate_limit_rpm":60,
             "default_config_id":"pc-abc","default_metadata":{"team":"ml","tier":2}}
            """));

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("api-keys/workspace/user", request.Path);
        PortkeyStub.AssertJsonEqual("""
            {"name":"ci","description":"d","workspace_id":"ws-a","user_id":"123e4567-e89b-12d3-a456-426614174000",
             "scopes":["completions.write","logs.view"],"alert_emails":["ops@example.com"],"expires_at":"2030-01-01T00:00:00Z",
             "usage_limits":{"type":"cost","credit_limit":250,"alert_threshold":200},
             "rate_limits":[{"type":"requests","unit":"rpm","value":60}],
             "defaults":{"config_id":"pc-abc","metadata":{"team":"ml","tier":2}}}
            """, request.Body);
    }

    [Fact]
    public void Create_sends_only_what_was_given()
    {
        var request = ApiKeyRequests.Create(ToolArguments.Parse("""{"name":"admin","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}"""));
        Assert.Equal("api-keys/organisation/service", request.Path);
        PortkeyStub.AssertJsonEqual("""{"name":"admin","scopes":["workspaces.list"]}""", request.Body);
    }

    [Theory]
    [InlineData(80, 250, 200)]
    [InlineData(100, 100, 100)]
    [InlineData(0, 100, 1)]
    [InlineData(1, 10, 1)]
    [InlineData(33.3, 1000, 333)]
    [InlineData(12.5, 100, 13)]
    public void Alert_percentage_becomes_an_absolute_amount_never_below_one(double percent, double limit, long expected)
    {
        Assert.Equal(expected, UsageLimits.AbsoluteAlert(percent, limit));
    }

    [Fact]
    public void Update_with_expires_at_null_sends_null_to_clear_it()
    {
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","expires_at":null,"name":"n"}"""), null, []);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal($"api-keys/{KeyId}", request.Path);
        PortkeyStub.AssertJsonEqual("""{"name":"n","expires_at":null}""", request.Body);
    }

    [Fact]
    public void Update_without_expires_at_leaves_it_alone()
    {
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","scopes":["logs.view"]}"""), null, []);
        PortkeyStub.AssertJsonEqual("""{"scopes":["logs.view"]}""", request.Body);
    }

    [Fact]
    public void Update_keeps_a_tokens_weekly_limit_and_takes_the_percentage_of_the_new_credit_limit()
    {
        var current = Record("""{"usage_limits":{"type":"tokens","credit_limit":1000000,"alert_threshold":500000,"periodic_reset":"weekly","is_expired_alerts_sent":true}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","credit_limit":2000000,"alert_threshold":90}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"usage_limits":{"type":"tokens","credit_limit":2000000,"alert_threshold":1800000,"periodic_reset":"weekly"}}""", request.Body);
    }

    [Fact]
    public void Update_percentage_alone_uses_the_current_credit_limit()
    {
        var current = Record("""{"usage_limits":{"type":"cost","credit_limit":10.0,"alert_threshold":5.0,"periodic_reset_days":30}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","alert_threshold":70}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"usage_limits":{"type":"cost","credit_limit":10,"alert_threshold":7,"periodic_reset_days":30}}""", request.Body);
    }

    [Fact]
    public void Update_new_credit_limit_keeps_the_current_alert_percentage()
    {
        var current = Record("""{"usage_limits":{"type":"cost","credit_limit":100,"alert_threshold":80,"periodic_reset":"monthly"}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","credit_limit":50}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"usage_limits":{"type":"cost","credit_limit":50,"alert_threshold":40,"periodic_reset":"monthly"}}""", request.Body);
    }

    [Fact]
    public void Update_new_credit_limit_keeps_the_exact_alert_ratio_not_the_rounded_percentage()
    {
        // 2 of 3 is 66.666…%; shown as 66.7 %, which on 3000 would give 2001.
        var current = Record("""{"usage_limits":{"type":"cost","credit_limit":3,"alert_threshold":2}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","credit_limit":3000}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"usage_limits":{"type":"cost","credit_limit":3000,"alert_threshold":2000}}""", request.Body);
    }

    [Fact]
    public void Update_of_only_the_credit_limit_of_a_tokens_limit_still_checks_the_tokens_minimum()
    {
        var errors = new List<FieldError>();
        var current = Record("""{"usage_limits":{"type":"tokens","credit_limit":5000}}""");
        ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","credit_limit":50}"""), current, errors);
        Assert.Equal(new FieldError("credit_limit", "must be at least 100 for a tokens limit (got 50)"), Assert.Single(errors));
    }

    [Fact]
    public void Update_defaults_keep_the_live_top_level_allow_config_override()
    {
        // Live records carry the flag as a top-level 0/1 with defaults holding no copy of it.
        var current = Record("""{"allow_config_override":0,"defaults":{"config_id":"pc-old","metadata":null}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","default_config_id":"pc-new"}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"defaults":{"config_id":"pc-new","allow_config_override":false}}""", request.Body);
    }

    [Fact]
    public void Update_percentage_without_any_credit_limit_is_an_error()
    {
        var errors = new List<FieldError>();
        ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","alert_threshold":70}"""), Record("""{"usage_limits":null}"""), errors);
        Assert.Equal(new FieldError("alert_threshold", "the record has no credit limit to take a percentage of; give credit_limit too"), Assert.Single(errors));
    }

    [Fact]
    public void Update_rate_limit_rpm_replaces_only_the_requests_per_minute_limit()
    {
        var current = Record("""{"rate_limits":[{"type":"requests","unit":"rpm","value":10},{"type":"tokens","unit":"rpd","value":50000}]}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","rate_limit_rpm":100}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"rate_limits":[{"type":"tokens","unit":"rpd","value":50000},{"type":"requests","unit":"rpm","value":100}]}""", request.Body);
    }

    [Fact]
    public void Update_defaults_keep_what_was_not_changed()
    {
        var current = Record("""{"defaults":{"config_id":"pc-old","metadata":{"team":"ml"},"allow_config_override":false}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$"""{"id":"{{KeyId}}","default_config_id":"pc-new"}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"defaults":{"config_id":"pc-new","metadata":{"team":"ml"},"allow_config_override":false}}""", request.Body);
    }

    [Fact]
    public void Update_metadata_replaces_metadata_and_keeps_the_config()
    {
        var current = Record("""{"defaults":{"config_id":"pc-old","metadata":{"team":"ml"}}}""");
        var request = ApiKeyRequests.Update(ToolArguments.Parse($$$"""{"id":"{{{KeyId}}}","default_metadata":{"env":"prod"}}"""), current, []);
        PortkeyStub.AssertJsonEqual("""{"defaults":{"config_id":"pc-old","metadata":{"env":"prod"}}}""", request.Body);
    }
}
