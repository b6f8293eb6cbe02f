using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Tests.VirtualKeys;

public class VirtualKeyContractTests
{
    private static IReadOnlyList<FieldError> Check(string json) => VirtualKeyContracts.Create.Check(ToolArguments.Parse(json));

    [Fact]
    public void Accepts_a_plain_provider_key()
    {
        Assert.Empty(Check("""{"key":"sk-live-123456","name":"openai-prod","provider":"openai"}"""));
    }

    [Fact]
    public void Requires_key_name_and_provider()
    {
        Assert.Equal(["key", "name", "provider"], Check("{}").Select(e => e.Field));
    }

    [Fact]
    public void A_blank_provider_key_is_refused()
    {
        var error = Assert.Single(Check("""{"key":"   ","name":"a","provider":"openai"}"""));
        Assert.Equal(new FieldError("key", "must not be empty"), error);
    }

    [Fact]
    public void Requires_the_azure_fields_for_azure_openai()
    {
        var errors = Check("""{"key":"abcdef123","name":"az","provider":"azure-openai","resource_name":"r1"}""");
        Assert.Equal(
            [new FieldError("deployment_name", "is required when provider is azure-openai (or give deployment_config)"), new FieldError("api_version", "is required when provider is azure-openai (or give deployment_config)")],
            errors);
    }

    [Fact]
    public void Refuses_azure_fields_for_other_providers()
    {
        var errors = Check("""{"key":"abcdef123","name":"o","provider":"openai","deployment_name":"gpt4"}""");
        Assert.Equal(new FieldError("deployment_name", "is only for provider azure-openai"), Assert.Single(errors));
    }

    [Fact]
    public void Refuses_a_provider_that_is_not_a_slug()
    {
        var error = Assert.Single(Check("""{"key":"abcdef123","name":"o","provider":"Open AI"}"""));
        Assert.Equal("provider", error.Field);
    }

    [Fact]
    public void Requires_credit_limit_with_alert_threshold()
    {
        var error = Assert.Single(Check("""{"key":"abcdef123","name":"o","provider":"openai","alert_threshold":50}"""));
        Assert.Equal("alert_threshold", error.Field);
    }
}
