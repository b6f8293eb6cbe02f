using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Tests.VirtualKeys;

/// <summary>The rules the full API surface adds: ranges and mutual exclusions, all reported together.</summary>
public class VirtualKeyLifecycleContractTests
{
    [Theory]
    [InlineData("""{"current_page":2}""", "page_size", "is required with current_page")]
    [InlineData("""{"page_size":101}""", "page_size", "must be at most 100 (got 101)")]
    public void List_pages_are_zero_based_and_bounded(string json, string field, string problem) =>
        Assert.Equal(new FieldError(field, problem), Assert.Single(VirtualKeyContracts.List.Check(ToolArguments.Parse(json))));

    [Theory]
    [InlineData("../admin")]
    [InlineData("a/b")]
    [InlineData("a?b=c")]
    [InlineData("")]
    public void Virtual_key_slug_cannot_reach_another_path(string slug)
    {
        var error = Assert.Single(VirtualKeyContracts.Get.Check(ToolArguments.Parse($$"""{"slug":"{{slug}}"}""")));
        Assert.Equal("slug", error.Field);
    }

    [Theory]
    [InlineData("""{"deployment_config":[{"deployment_name":"a","api_version":"v"},{"deployment_name":"b","api_version":"v"}]}""", "deployment_config", "has several deployments; mark exactly one is_default")]
    [InlineData("""{"deployment_config":[{"deployment_name":"a","api_version":"v","is_default":true},{"deployment_name":"b","api_version":"v","is_default":true}]}""", "deployment_config", "marks more than one deployment is_default")]
    [InlineData("""{"deployment_config":[{"deployment_name":"a","api_version":"v"}],"deployment_name":"x"}""", "deployment_name", "cannot be combined with deployment_config; put it in a deployment_config item")]
    [InlineData("""{"deployment_config":[{"deployment_name":"a"}]}""", "deployment_config[0].api_version", "is required")]
    public void Azure_deployment_config_rules(string extra, string field, string problem)
    {
        var json = """{"key":"az-secret-1","name":"az","provider":"azure-openai","resource_name":"r",""" + extra[1..];
        Assert.Equal(new FieldError(field, problem), Assert.Single(VirtualKeyContracts.Create.Check(ToolArguments.Parse(json))));
    }

    [Theory]
    [InlineData("""[{"target_field":"key","secret_reference_id":"sr-1"}]""", "secret_mappings[0].target_field", "must name a model_config field, such as model_config.awsSecretAccessKey (got 'key')")]
    [InlineData("""[{"target_field":"model_config.a","secret_reference_id":"sr-1"},{"target_field":"model_config.a","secret_reference_id":"sr-2"}]""", "secret_mappings[1].target_field", "is mapped twice")]
    [InlineData("""[{"target_field":"model_config.a"}]""", "secret_mappings[0].secret_reference_id", "is required")]
    [InlineData("""[{"target_field":"model_config.a","secret_reference_id":"sr-1","value_format":"xml"}]""", "secret_mappings[0].value_format", "must be one of json, string (got 'xml')")]
    public void Secret_mapping_rules(string mappings, string field, string problem)
    {
        var json = $$"""{"key":"sk-1234567","name":"b","provider":"bedrock","secret_mappings":{{mappings}}}""";
        Assert.Equal(new FieldError(field, problem), Assert.Single(VirtualKeyContracts.Create.Check(ToolArguments.Parse(json))));
    }

    [Fact]
    public void Virtual_key_rate_limits_have_no_per_second_or_per_week_unit()
    {
        var json = """{"key":"sk-1234567","name":"b","provider":"openai","rate_limits":[{"type":"requests","unit":"rps","value":1}]}""";
        var error = Assert.Single(VirtualKeyContracts.Create.Check(ToolArguments.Parse(json)));
        Assert.Equal(new FieldError("rate_limits[0].unit", "must be one of rpd, rph, rpm (got 'rps')"), error);
    }

    [Fact]
    public void Virtual_key_update_needs_something_to_change()
    {
        var error = Assert.Single(VirtualKeyContracts.Update.Check(ToolArguments.Parse("""{"slug":"openai-prod","dry_run":true}""")));
        Assert.Equal(new FieldError("(arguments)", "nothing to update: give at least one field besides slug"), error);
    }
}
