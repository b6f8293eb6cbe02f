using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Tests.ApiKeys;

/// <summary>The rules the full API surface adds: ranges and mutual exclusions, all reported together.</summary>
public class ApiKeyLifecycleContractTests
{
    private const string Id = "60571396-bd81-4e58-8c82-4858930ede0b";

    private const string ValidCreate = """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"]""";

    private static IReadOnlyList<FieldError> Create(string extra) => ApiKeyContracts.Create.Check(ToolArguments.Parse(ValidCreate + "," + extra + "}"));

    private static IReadOnlyList<FieldError> Update(string extra) =>
        ApiKeyContracts.Update.Check(ToolArguments.Parse($$"""{"id":"{{Id}}",{{extra}}}"""));

    [Theory]
    [InlineData("\"rotation_policy\":{\"key_transition_period_ms\":1800000}", "rotation_policy", "needs exactly one of rotation_period and next_rotation_at")]
    [InlineData("\"rotation_policy\":{\"rotation_period\":\"weekly\",\"next_rotation_at\":\"2030-01-01T00:00:00Z\"}", "rotation_policy", "needs exactly one of rotation_period and next_rotation_at")]
    [InlineData("\"rotation_policy\":{\"rotation_period\":\"daily\"}", "rotation_policy.rotation_period", "must be one of weekly, monthly (got 'daily')")]
    [InlineData("\"rotation_policy\":{\"rotation_period\":\"weekly\",\"key_transition_period_ms\":60000}", "rotation_policy.key_transition_period_ms", "must be at least 1800000 (got 60000)")]
    [InlineData("\"rotation_policy\":{\"rotation_period\":\"weekly\",\"key_transition_period_ms\":604800000}", "rotation_policy.key_transition_period_ms", "must be shorter than the weekly rotation period (604800000 ms)")]
    [InlineData("\"rotation_policy\":{\"next_rotation_at\":\"2001-01-01T00:00:00Z\"}", "rotation_policy.next_rotation_at", "must be in the future (got '2001-01-01T00:00:00Z')")]
    [InlineData("\"rotation_policy\":{\"rotation_period\":\"weekly\",\"every\":2}", "rotation_policy.every", "is not a known argument (known: rotation_period, next_rotation_at, key_transition_period_ms)")]
    [InlineData("\"rate_limits\":[{\"type\":\"requests\",\"unit\":\"rpm\"}]", "rate_limits[0].value", "is required")]
    [InlineData("\"rate_limits\":[{\"type\":\"calls\",\"unit\":\"rpm\",\"value\":5}]", "rate_limits[0].type", "must be one of requests, tokens (got 'calls')")]
    [InlineData("\"rate_limits\":[{\"type\":\"tokens\",\"unit\":\"rpy\",\"value\":5}]", "rate_limits[0].unit", "must be one of rpd, rph, rpm, rps, rpw (got 'rpy')")]
    [InlineData("\"rate_limits\":[{\"type\":\"tokens\",\"unit\":\"rpd\",\"value\":5.5}]", "rate_limits[0].value", "must be a whole number (got 5.5)")]
    [InlineData("\"rate_limits\":[{\"type\":\"tokens\",\"unit\":\"rpd\",\"value\":5},{\"type\":\"tokens\",\"unit\":\"rpd\",\"value\":9}]", "rate_limits[1]", "repeats the tokens/rpd limit")]
    [InlineData("\"rate_limits\":[],\"rate_limit_rpm\":5", "rate_limits", "cannot be combined with rate_limit_rpm; choose one")]
    [InlineData("\"credit_limit\":50,\"periodic_reset\":\"weekly\",\"periodic_reset_days\":10", "periodic_reset_days", "cannot be combined with periodic_reset; choose one")]
    [InlineData("\"credit_limit\":50,\"periodic_reset_days\":366", "periodic_reset_days", "must be at most 365 (got 366)")]
    [InlineData("\"periodic_reset\":\"monthly\"", "periodic_reset", "shapes the credit limit, so credit_limit is required with it")]
    [InlineData("\"credit_limit\":50,\"usage_limit_type\":\"tokens\"", "credit_limit", "must be at least 100 for a tokens limit (got 50)")]
    [InlineData("\"credit_limit\":500,\"usage_limit_type\":\"requests\"", "usage_limit_type", "must be one of cost, tokens (got 'requests')")]
    [InlineData("\"organisation_id\":\"acme\"", "organisation_id", "must be a UUID like 123e4567-e89b-12d3-a456-426614174000 (got 'acme')")]
    [InlineData("\"allow_config_override\":\"no\"", "allow_config_override", "must be true or false (got a string)")]
    [InlineData("\"dry_run\":1", "dry_run", "must be true or false (got a number)")]
    public void Create_enforces_every_range_and_exclusion(string extra, string field, string problem)
    {
        Assert.Equal(new FieldError(field, problem), Assert.Single(Create(extra)));
    }

    [Fact]
    public void Create_accepts_the_whole_surface_at_once()
    {
        Assert.Empty(Create("""
            "credit_limit":100000,"usage_limit_type":"tokens","alert_threshold":75,"periodic_reset_days":30,
            "rate_limits":[{"type":"requests","unit":"rps","value":5},{"type":"tokens","unit":"rpw","value":0}],
            "rotation_policy":{"rotation_period":"monthly","key_transition_period_ms":3600000},
            "allow_config_override":false,"default_config_id":"pc-1","organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11","dry_run":true
            """));
    }

    [Theory]
    [InlineData("\"credit_limit\":null,\"alert_threshold\":50", "alert_threshold", "cannot be set while credit_limit is null (which removes the usage limit)")]
    [InlineData("\"reset_usage\":false", "reset_usage", "only true does anything; leave it out to keep the current usage")]
    [InlineData("\"dry_run\":true", "(arguments)", "nothing to update: give at least one field besides id")]
    [InlineData("\"scopes\":null", "scopes", "must be an array, not null")]
    [InlineData("\"rate_limits\":null,\"rate_limit_rpm\":10", "rate_limits", "cannot be combined with rate_limit_rpm; choose one")]
    public void Update_enforces_its_rules(string extra, string field, string problem)
    {
        Assert.Equal(new FieldError(field, problem), Assert.Single(Update(extra)));
    }

    [Theory]
    [InlineData("\"credit_limit\":null")]
    [InlineData("\"rate_limits\":null")]
    [InlineData("\"alert_emails\":null")]
    [InlineData("\"default_config_id\":null")]
    [InlineData("\"rotation_policy\":null")]
    [InlineData("\"periodic_reset\":null")]
    [InlineData("\"reset_usage\":true")]
    public void Update_accepts_null_to_clear_and_reset_usage(string extra)
    {
        Assert.Empty(Update(extra));
    }

    [Theory]
    [InlineData("""{"current_page":2}""", "page_size", "is required with current_page")]
    [InlineData("""{"current_page":-1,"page_size":10}""", "current_page", "must be at least 0 (got -1)")]
    [InlineData("""{"page_size":0}""", "page_size", "must be at least 1 (got 0)")]
    [InlineData("""{"page_size":101}""", "page_size", "must be at most 100 (got 101)")]
    public void List_pages_are_zero_based_and_bounded(string json, string field, string problem)
    {
        Assert.Equal(new FieldError(field, problem), Assert.Single(ApiKeyContracts.List.Check(ToolArguments.Parse(json))));
    }

    [Fact]
    public void Rotate_transition_must_be_at_least_thirty_minutes()
    {
        var error = Assert.Single(ApiKeyContracts.Rotate.Check(ToolArguments.Parse($$"""{"id":"{{Id}}","key_transition_period_ms":1799999}""")));
        Assert.Equal(new FieldError("key_transition_period_ms", "must be at least 1800000 (got 1799999)"), error);
    }
}
