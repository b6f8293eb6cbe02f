using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Tests.Support;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Tests.Security;

/// <summary>Provider keys named instead of typed: the exact upstream body for each form, and every refusal.</summary>
public class KeyReferencesTests
{
    private const string OpenAiKey = "sk-proj-FromTheEnvironment01";

    private static readonly KeyReferences s_references = new(["OPENAI_API_KEY", "EMPTY_KEY"], new SecretRegistry(),
        name => name switch { "OPENAI_API_KEY" => OpenAiKey, "EMPTY_KEY" => "", "HOME" => "/root", _ => null });

    private static (System.Text.Json.Nodes.JsonNode? Body, List<FieldError> Errors) Create(string key)
    {
        var errors = new List<FieldError>();
        var request = VirtualKeyRequests.Create(ToolArguments.Parse($$"""{"key":"{{key}}","name":"oa","provider":"openai"}"""), s_references, errors);
        return (request.Body, errors);
    }

    [Fact]
    public void A_literal_key_is_sent_as_it_is()
    {
        var (body, errors) = Create("sk-literal-0001");
        Assert.Empty(errors);
        PortkeyStub.AssertJsonEqual("""{"name":"oa","provider":"openai","key":"sk-literal-0001"}""", body);
    }

    [Fact]
    public void An_allowed_env_reference_sends_the_variable_value()
    {
        var (body, errors) = Create("${env:OPENAI_API_KEY}");
        Assert.Empty(errors);
        PortkeyStub.AssertJsonEqual($$"""{"name":"oa","provider":"openai","key":"{{OpenAiKey}}"}""", body);
    }

    [Fact]
    public void An_env_reference_not_on_the_allow_list_is_refused()
    {
        var (_, errors) = Create("${env:HOME}");
        Assert.Equal(new FieldError("key", "${env:HOME} is not allowed: list it in PORTKEY_MCP_KEY_ENV_ALLOW to let the server read it (allowed: OPENAI_API_KEY, EMPTY_KEY)"), Assert.Single(errors));
    }

    [Fact]
    public void No_env_reference_is_allowed_by_default()
    {
        var errors = new List<FieldError>();
        KeyReferences.None.Resolve("${env:OPENAI_API_KEY}", "key", errors);
        Assert.EndsWith("(no names are allowed now)", Assert.Single(errors).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${env:EMPTY_KEY}", "${env:EMPTY_KEY} names a variable that is not set in the server's environment")]
    [InlineData("${env:OPENAI_API_KEY", "looks like a reference but is malformed: use ${env:NAME}, ${secret:REFERENCE_ID} or ${secret:REFERENCE_ID#field}")]
    [InlineData("${vault:x}", "looks like a reference but is malformed: use ${env:NAME}, ${secret:REFERENCE_ID} or ${secret:REFERENCE_ID#field}")]
    [InlineData("${secret:}", "looks like a reference but is malformed: use ${env:NAME}, ${secret:REFERENCE_ID} or ${secret:REFERENCE_ID#field}")]
    public void Unset_and_malformed_references_are_refused(string key, string problem)
    {
        Assert.Equal(new FieldError("key", problem), Assert.Single(Create(key).Errors));
    }

    [Fact]
    public void A_secret_reference_sends_no_key_and_maps_the_key_field()
    {
        var (body, errors) = Create("${secret:sr-openai-prod}");
        Assert.Empty(errors);
        PortkeyStub.AssertJsonEqual("""{"name":"oa","provider":"openai","secret_mappings":[{"target_field":"key","secret_reference_id":"sr-openai-prod"}]}""", body);
    }

    [Fact]
    public void A_secret_reference_with_a_field_names_the_secret_key()
    {
        var errors = new List<FieldError>();
        var request = VirtualKeyRequests.Create(ToolArguments.Parse("""
            {"key":"${secret:3f1c2a7e-0000-4000-8000-00000000aaaa#api_key}","name":"b","provider":"bedrock",
             "secret_mappings":[{"target_field":"model_config.awsSecretAccessKey","secret_reference_id":"sr-aws"}]}
            """), s_references, errors);
        Assert.Empty(errors);
        PortkeyStub.AssertJsonEqual("""
            {"name":"b","provider":"bedrock","secret_mappings":[
              {"target_field":"model_config.awsSecretAccessKey","secret_reference_id":"sr-aws"},
              {"target_field":"key","secret_reference_id":"3f1c2a7e-0000-4000-8000-00000000aaaa","secret_key":"api_key"}]}
            """, request.Body);
    }

    [Fact]
    public void Update_virtual_key_resolves_references_the_same_way()
    {
        var errors = new List<FieldError>();
        var request = VirtualKeyRequests.Update(ToolArguments.Parse("""{"slug":"oa","key":"${env:OPENAI_API_KEY}"}"""), null, errors, s_references);
        Assert.Empty(errors);
        PortkeyStub.AssertJsonEqual($$"""{"key":"{{OpenAiKey}}"}""", request.Body);

        var refused = new List<FieldError>();
        VirtualKeyRequests.Update(ToolArguments.Parse("""{"slug":"oa","key":"${env:PATH}"}"""), null, refused, s_references);
        Assert.Equal("key", Assert.Single(refused).Field);
    }
}
