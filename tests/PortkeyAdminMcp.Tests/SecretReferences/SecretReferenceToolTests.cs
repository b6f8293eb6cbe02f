using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.SecretReferences;

/// <summary>
/// The secret-references toolset against a stand-in Portkey: auth_config checked against its manager's variants, its
/// credentials secrets by field (and from ${env:}), never in a result; tags sent JSON-encoded.
/// </summary>
public class SecretReferenceToolTests : StubbedServerTest
{
    private const string EnvName = "PK_TEST_VAULT_TOKEN";
    private const string EnvToken = "hvs.test-vault-token-0123456789";

    protected override Dictionary<string, string?> Settings => new()
    {
        ["PORTKEY_MCP_TOOLSETS"] = "secret-references",
        ["PORTKEY_MCP_KEY_ENV_ALLOW"] = EnvName,
    };

    public SecretReferenceToolTests() => Environment.SetEnvironmentVariable(EnvName, EnvToken);

    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        await Server.AssertMatchesOutputSchemaAsync(tool, result);
        Assert.DoesNotContain(EnvToken, JsonSerializer.Serialize(result), StringComparison.Ordinal);
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task Create_sends_a_credential_from_the_environment_and_a_dry_run_masks_it_by_field()
    {
        Portkey.Reply("POST", "secret-references", 200, """{"id":"5e1c0000-0000-4000-8000-000000000001","slug":"vault-prod","object":"secret-reference"}""");
        const string Arguments = """
            "name":"Vault prod","manager_type":"aws_sm","secret_path":"llm/openai","secret_key":"openai","allowed_workspaces":["ml-team"],
            "tags":{"env":"prod"},"auth_config":{"aws_auth_type":"accessKey","aws_region":"eu-west-1","aws_access_key_id":"AKIAEXAMPLE0001","aws_secret_access_key":"${env:PK_TEST_VAULT_TOKEN}"}
            """;

        var preview = await OkAsync("create_secret_reference", "{" + Arguments + ",\"dry_run\":true}");
        var created = await OkAsync("create_secret_reference", "{" + Arguments + "}");

        PortkeyStub.AssertJsonEqual("""{"aws_auth_type":"accessKey","aws_region":"eu-west-1","aws_access_key_id":"[REDACTED]","aws_secret_access_key":"[REDACTED]"}""",
            JsonNode.Parse(preview.GetProperty("request").GetProperty("body").GetProperty("auth_config").GetRawText()));
        PortkeyStub.AssertJsonEqual($$$"""
            {"name":"Vault prod","manager_type":"aws_sm","secret_path":"llm/openai","secret_key":"openai","allowed_workspaces":["ml-team"],
             "tags":{"env":"prod"},"auth_config":{"aws_auth_type":"accessKey","aws_region":"eu-west-1","aws_access_key_id":"AKIAEXAMPLE0001","aws_secret_access_key":"{{{EnvToken}}}"}}
            """, PortkeyStub.Body(Portkey.Single("POST", "secret-references")));
        Assert.Equal("Secret reference created: use it as ${secret:vault-prod}.", created.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_credential_from_the_environment_is_never_sent_to_a_vault_the_same_call_names()
    {
        var result = await Server.CallAsync("create_secret_reference", """
            {"name":"x","manager_type":"hashicorp_vault","secret_path":"p",
             "auth_config":{"vault_auth_type":"token","vault_addr":"https://attacker.example","vault_token":"${env:PK_TEST_VAULT_TOKEN}"}}
            """);

        Assert.True(result.IsError);
        Assert.Contains("auth_config.vault_addr: cannot be set in the call that sends a credential from ${env:…}", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task Auth_config_is_checked_against_its_managers_variants_with_every_problem_at_once()
    {
        var result = await Server.CallAsync("create_secret_reference", """
            {"name":"x","manager_type":"aws_sm","secret_path":"p","allow_all_workspaces":true,"allowed_workspaces":["a"],
             "auth_config":{"aws_auth_type":"accessKey","aws_access_key_id":"AKIA1234567890","vault_addr":"https://v"}}
            """);

        Assert.Equal("""
            Invalid arguments for create_secret_reference (nothing was sent to Portkey):
            - allowed_workspaces: cannot be combined with allow_all_workspaces true (which allows every workspace)
            - auth_config.vault_addr: belongs to hashicorp_vault, not aws_sm
            - auth_config.aws_secret_access_key: is required for aws_sm with aws_auth_type accessKey
            - auth_config.aws_region: is required for aws_sm with aws_auth_type accessKey
            """.ReplaceLineEndings("\n"), InProcessServer.Text(result).ReplaceLineEndings("\n"));
        Assert.DoesNotContain("AKIA1234567890", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task Update_checks_new_fields_against_the_stored_manager_before_sending()
    {
        Portkey.Reply("GET", "secret-references/vault-prod", 200, """{"id":"5e1c0000-0000-4000-8000-000000000001","slug":"vault-prod","manager_type":"hashicorp_vault"}""");

        var result = await Server.CallAsync("update_secret_reference", """{"id":"vault-prod","auth_config":{"aws_region":"us-east-1"}}""");

        Assert.Contains("auth_config.aws_region: belongs to aws_sm, not hashicorp_vault", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal(["GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
    }

    [Fact]
    public async Task Reads_show_no_credential_and_the_tag_filter_goes_json_encoded()
    {
        Portkey.Reply("GET", "secret-references", 200, """{"object":"list","total":1,"data":[{"id":"5e1c0000-0000-4000-8000-000000000001","name":"Vault prod","slug":"vault-prod","manager_type":"hashicorp_vault","status":"ACTIVE"}]}""");
        Portkey.Reply("GET", "secret-references/vault-prod", 200, """
            {"id":"5e1c0000-0000-4000-8000-000000000001","slug":"vault-prod","name":"Vault prod","manager_type":"hashicorp_vault","secret_path":"kv/data/llm",
             "auth_config":{"vault_auth_type":"approle","vault_addr":"https://vault.example.com","vault_role_id":"role-abc","masked_vault_secret_id":"se****id"}}
            """);
        Portkey.Reply("DELETE", "secret-references/vault-prod", 400, """{"success":false,"data":{"message":"Secret reference is in use by integrations","errorCode":"AB01"}}""");

        await OkAsync("list_secret_references", """{"manager_type":"hashicorp_vault","tags":{"env":"prod"},"search":"Vault"}""");
        var reference = await OkAsync("get_secret_reference", """{"id":"vault-prod"}""");
        var refused = await Server.CallAsync("delete_secret_reference", """{"id":"vault-prod"}""");

        Assert.Equal("manager_type=hashicorp_vault&search=Vault&tags=%7B%22env%22%3A%22prod%22%7D", PortkeyStub.Query(Portkey.Single("GET", "secret-references")));
        PortkeyStub.AssertJsonEqual("""{"vault_auth_type":"approle","vault_addr":"https://vault.example.com","vault_role_id":"[REDACTED]","masked_vault_secret_id":"[REDACTED]"}""",
            JsonNode.Parse(reference.GetProperty("auth_config").GetRawText()));
        Assert.True(refused.IsError);
        Assert.Contains("still used by an integration or virtual key", InProcessServer.Text(refused), StringComparison.Ordinal);
    }
}
