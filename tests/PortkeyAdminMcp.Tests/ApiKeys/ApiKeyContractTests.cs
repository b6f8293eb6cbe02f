using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Tests.ApiKeys;

public class ApiKeyContractTests
{
    private const string Valid =
        """{"name":"ci","type":"workspace","sub_type":"service","workspace_id":"ws-shared","scopes":["completions.write"]}""";

    private static IReadOnlyList<FieldError> CheckCreate(string json) => ApiKeyContracts.Create.Check(ToolArguments.Parse(json));

    private static string Problems(IReadOnlyList<FieldError> errors) => string.Join(" | ", errors);

    [Fact]
    public void Create_accepts_a_minimal_workspace_service_key()
    {
        Assert.Empty(CheckCreate(Valid));
    }

    [Fact]
    public void Create_reports_every_missing_required_argument_at_once()
    {
        var errors = CheckCreate("{}");
        Assert.Equal(["name", "type", "scopes", "sub_type"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal("is required", e.Problem));
    }

    [Fact]
    public void Create_rejects_an_unknown_argument_and_suggests_the_close_name()
    {
        var errors = CheckCreate(Valid.Replace("\"name\"", "\"nmae\""));
        Assert.Contains(errors, e => e.Field == "nmae" && e.Problem == "is not a known argument; did you mean 'name'?");
        Assert.Contains(errors, e => e.Field == "name" && e.Problem == "is required");
    }

    [Theory]
    [InlineData("\"type\":\"org\"", "type", "must be one of organisation, workspace (got 'org')")]
    [InlineData("\"sub_type\":\"bot\"", "sub_type", "must be one of user, service (got 'bot')")]
    [InlineData("\"name\":\"  \"", "name", "must not be empty")]
    [InlineData("\"name\":42", "name", "must be a string (got a number)")]
    [InlineData("\"scopes\":[]", "scopes", "must have at least one item")]
    [InlineData("\"scopes\":\"completions.write\"", "scopes", "must be an array (got a string)")]
    [InlineData("\"scopes\":[\"completions write\"]", "scopes[0]", "must be a Portkey scope such as completions.write or virtual_keys.read (got 'completions write')")]
    [InlineData("\"scopes\":[\"logs.view\",\"logs.view\"]", "scopes[1]", "is a duplicate")]
    [InlineData("\"credit_limit\":0", "credit_limit", "must be at least 1 (got 0)")]
    [InlineData("\"credit_limit\":12.5", "credit_limit", "must be a whole number (got 12.5)")]
    [InlineData("\"credit_limit\":\"100\"", "credit_limit", "must be a whole number (got a string)")]
    [InlineData("\"rate_limit_rpm\":0", "rate_limit_rpm", "must be at least 1 (got 0)")]
    [InlineData("\"rate_limit_rpm\":1.5", "rate_limit_rpm", "must be a whole number (got 1.5)")]
    [InlineData("\"alert_emails\":[\"ops@\"]", "alert_emails[0]", "must be an email address (got 'ops@')")]
    [InlineData("\"expires_at\":\"next week\"", "expires_at", "must be an ISO 8601 date-time with a time zone, like 2027-01-31T00:00:00Z (got 'next week')")]
    [InlineData("\"expires_at\":\"2030-01-01T00:00:00\"", "expires_at", "must be an ISO 8601 date-time with a time zone, like 2027-01-31T00:00:00Z (got '2030-01-01T00:00:00')")]
    [InlineData("\"expires_at\":\"2020-01-01T00:00:00Z\"", "expires_at", "must be in the future (got '2020-01-01T00:00:00Z')")]
    [InlineData("\"default_metadata\":[1]", "default_metadata", "must be an object (got an array)")]
    [InlineData("\"default_config_id\":\"\"", "default_config_id", "must not be empty")]
    [InlineData("\"description\":null", "description", "must be a string, not null")]
    public void Create_names_the_offending_field_and_why(string replacement, string field, string problem)
    {
        var arguments = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse("{" + replacement + "}")!.AsObject())
        {
            arguments[key] = value?.DeepClone();
        }

        var json = arguments.ToJsonString();
        var errors = CheckCreate(json);
        Assert.Equal(new FieldError(field, problem), Assert.Single(errors));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Create_limits_alert_threshold_to_a_percentage(int percent)
    {
        var errors = CheckCreate(Valid.TrimEnd('}') + $",\"credit_limit\":100,\"alert_threshold\":{percent}}}");
        Assert.Equal("alert_threshold", Assert.Single(errors).Field);
    }

    [Fact]
    public void Create_requires_workspace_id_for_a_workspace_key()
    {
        var errors = CheckCreate("""{"name":"a","type":"workspace","sub_type":"service","scopes":["logs.view"]}""");
        Assert.Equal(new FieldError("workspace_id", "is required when type is workspace (list_workspaces finds its id)"), Assert.Single(errors));
    }

    [Fact]
    public void Create_requires_user_id_for_a_user_key()
    {
        var errors = CheckCreate("""{"name":"a","type":"workspace","sub_type":"user","workspace_id":"ws-a","scopes":["logs.view"]}""");
        Assert.Equal(new FieldError("user_id", "is required when sub_type is user (list_all_users finds it by email)"), Assert.Single(errors));
    }

    [Fact]
    public void Create_refuses_an_organisation_user_key()
    {
        var errors = CheckCreate("""{"name":"a","type":"organisation","sub_type":"user","user_id":"123e4567-e89b-12d3-a456-426614174000","scopes":["logs.view"]}""");
        var error = Assert.Single(errors);
        Assert.Equal("sub_type", error.Field);
        Assert.StartsWith("user is not valid with type organisation", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_refuses_user_id_on_a_service_key()
    {
        var errors = CheckCreate(Valid.TrimEnd('}') + ",\"user_id\":\"123e4567-e89b-12d3-a456-426614174000\"}");
        Assert.Equal("user_id", Assert.Single(errors).Field);
    }

    [Fact]
    public void Create_requires_credit_limit_with_alert_threshold()
    {
        var errors = CheckCreate(Valid.TrimEnd('}') + ",\"alert_threshold\":80}");
        Assert.Equal(new FieldError("alert_threshold", "is a percentage of credit_limit, so credit_limit is required with it"), Assert.Single(errors));
    }

    [Fact]
    public void Create_reports_schema_and_cross_field_problems_together()
    {
        var errors = CheckCreate("""{"name":"","type":"workspace","sub_type":"user","scopes":[],"credit_limit":-5,"extra":true}""");
        Assert.Equal(
            ["name", "scopes", "credit_limit", "extra", "workspace_id", "user_id"],
            errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("../admin")]
    [InlineData("60571396-bd81-4e58-8c82-4858930ede0b/../../x")]
    [InlineData("60571396bd814e588c824858930ede0b")]
    [InlineData("")]
    public void Get_accepts_only_a_uuid_so_no_id_can_reach_another_path(string id)
    {
        var errors = ApiKeyContracts.Get.Check(ToolArguments.Parse($$"""{"id":"{{id}}"}"""));
        var error = Assert.Single(errors);
        Assert.Equal("id", error.Field);
        Assert.StartsWith("must be a UUID", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_needs_something_to_change()
    {
        var errors = ApiKeyContracts.Update.Check(ToolArguments.Parse("""{"id":"60571396-bd81-4e58-8c82-4858930ede0b"}"""));
        Assert.Equal(new FieldError("(arguments)", "nothing to update: give at least one field besides id"), Assert.Single(errors));
    }

    [Fact]
    public void Update_accepts_null_expires_at_to_clear_the_expiry()
    {
        var errors = ApiKeyContracts.Update.Check(ToolArguments.Parse("""{"id":"60571396-bd81-4e58-8c82-4858930ede0b","expires_at":null}"""));
        Assert.Empty(errors);
    }

    [Fact]
    public void Update_rejects_null_for_a_field_that_cannot_be_cleared()
    {
        var errors = ApiKeyContracts.Update.Check(ToolArguments.Parse("""{"id":"60571396-bd81-4e58-8c82-4858930ede0b","name":null}"""));
        Assert.Equal(new FieldError("name", "must be a string, not null"), Assert.Single(errors));
    }

    [Fact]
    public void Update_rejects_type_changes_as_unknown_arguments()
    {
        var errors = ApiKeyContracts.Update.Check(ToolArguments.Parse("""{"id":"60571396-bd81-4e58-8c82-4858930ede0b","type":"workspace"}"""));
        Assert.Contains(errors, e => e.Field == "type" && e.Problem.StartsWith("is not a known argument", StringComparison.Ordinal));
    }
}
