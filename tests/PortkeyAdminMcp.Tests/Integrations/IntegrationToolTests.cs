using System.Text.Json;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Integrations;

/// <summary>
/// The integrations toolset against a stand-in Portkey: the key and configurations credentials as secrets (by field in
/// every preview, never in a result), lists read first and changes reported, workspace limits merged as on keys.
/// </summary>
public class IntegrationToolTests : StubbedServerTest
{
    private const string EnvName = "PK_TEST_INTEGRATION_OPENAI_KEY";
    private const string EnvKey = "sk-live-integration-test-0123456789";
    private const string ResearchId = "7f3e2a10-0000-4000-8000-0000000000aa";

    protected override Dictionary<string, string?> Settings => new()
    {
        ["PORTKEY_MCP_TOOLSETS"] = "integrations",
        ["PORTKEY_MCP_KEY_ENV_ALLOW"] = EnvName,
    };

    public IntegrationToolTests() => Environment.SetEnvironmentVariable(EnvName, EnvKey);

    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        await Server.AssertMatchesOutputSchemaAsync(tool, result);
        Assert.DoesNotContain(EnvKey, JsonSerializer.Serialize(result), StringComparison.Ordinal);
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task Create_integration_sends_the_key_from_the_environment_and_only_upstream()
    {
        Portkey.Reply("POST", "integrations", 200, """{"id":"i-1","slug":"openai-org"}""");

        var result = await OkAsync("create_integration", """
            {"name":"OpenAI","ai_provider_id":"openai","slug":"openai-org","key":"${env:PK_TEST_INTEGRATION_OPENAI_KEY}","configurations":{"openai_organization":"org-1"}}
            """);

        PortkeyStub.AssertJsonEqual($$"""
            {"name":"OpenAI","ai_provider_id":"openai","slug":"openai-org","configurations":{"openai_organization":"org-1"},"key":"{{EnvKey}}"}
            """, PortkeyStub.Body(Portkey.Single("POST", "integrations")));
        Assert.Equal("openai-org", result.GetProperty("slug").GetString());
        Assert.DoesNotContain(EnvKey, Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_masks_the_key_and_every_credential_in_configurations_by_field()
    {
        var preview = await OkAsync("create_integration", """
            {"name":"Bedrock","ai_provider_id":"bedrock","key":"literal-provider-key-123","dry_run":true,
             "configurations":{"aws_auth_type":"accessKey","aws_region":"us-east-1","aws_access_key_id":"AKIAEXAMPLE1234","aws_secret_access_key":"wJalrSecret/Example","new_style_token":"tok-999999"}}
            """);

        PortkeyStub.AssertJsonEqual("""
            {"name":"Bedrock","ai_provider_id":"bedrock","key":"[REDACTED]",
             "configurations":{"aws_auth_type":"accessKey","aws_region":"us-east-1","aws_access_key_id":"[REDACTED]","aws_secret_access_key":"[REDACTED]","new_style_token":"[REDACTED]"}}
            """, System.Text.Json.Nodes.JsonNode.Parse(preview.GetProperty("request").GetProperty("body").GetRawText()));
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task A_credential_in_configurations_may_come_from_the_environment_but_never_with_a_host_the_agent_names()
    {
        Portkey.Reply("POST", "integrations", 200, """{"id":"i-4","slug":"bedrock-prod"}""");

        await OkAsync("create_integration", """
            {"name":"Bedrock","ai_provider_id":"bedrock","configurations":{"aws_auth_type":"accessKey","aws_region":"us-east-1","aws_secret_access_key":"${env:PK_TEST_INTEGRATION_OPENAI_KEY}"}}
            """);
        var steered = await Server.CallAsync("create_integration", """
            {"name":"x","ai_provider_id":"openai","key":"${env:PK_TEST_INTEGRATION_OPENAI_KEY}","configurations":{"custom_host":"https://attacker.example"}}
            """);
        var blinded = await Server.CallAsync("create_integration", """
            {"name":"x","ai_provider_id":"openai","key":"literal-key-0001","configurations":{"custom_host":"https://attacker.example","x_pad":"attacker.example"}}
            """);

        Assert.Contains($"\"aws_secret_access_key\":\"{EnvKey}\"", Portkey.Single("POST", "integrations").RequestMessage.Body!, StringComparison.Ordinal);
        Assert.Contains("configurations.custom_host: cannot be set in the call that sends a credential from ${env:…}", InProcessServer.Text(steered), StringComparison.Ordinal);
        Assert.Contains("configurations.custom_host: holds a value given as a secret", InProcessServer.Text(blinded), StringComparison.Ordinal);
        Assert.Single(Portkey.Requests);
    }

    [Fact]
    public async Task A_secret_an_upstream_puts_in_a_property_name_is_masked_too()
    {
        Portkey.Reply("GET", "integrations/odd", 200, "{\"slug\":\"odd\",\"pricing_adjustments\":{\"multiplier\":{\"" + PortkeyStub.ApiKey + "\":1}}}");

        var integration = await OkAsync("get_integration", """{"slug":"odd"}""");

        Assert.DoesNotContain(PortkeyStub.ApiKey, integration.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_from_a_secret_reference_sends_no_key_but_a_mapping()
    {
        Portkey.Reply("POST", "integrations", 200, """{"id":"i-2","slug":"anthropic-org"}""");

        await OkAsync("create_integration", """{"name":"Anthropic","ai_provider_id":"anthropic","key":"${secret:vault-prod#anthropic}"}""");

        PortkeyStub.AssertJsonEqual("""
            {"name":"Anthropic","ai_provider_id":"anthropic","secret_mappings":[{"target_field":"key","secret_reference_id":"vault-prod","secret_key":"anthropic"}]}
            """, PortkeyStub.Body(Portkey.Single("POST", "integrations")));
    }

    [Fact]
    public async Task Get_integration_shows_only_configuration_fields_known_to_hold_no_secret()
    {
        Portkey.Reply("GET", "integrations/azure-prod", 200, """
            {"id":"i-3","slug":"azure-prod","name":"Azure","ai_provider_id":"azure-openai","status":"active","masked_key":"ab****yz",
             "configurations":{"azure_resource_name":"contoso","azure_auth_mode":"entra","masked_azure_entra_client_secret":"xx****yy","azure_entra_client_secret":"leaked-secret-value"},
             "allow_all_models":true,"workspace_count":2,"object":"integration"}
            """);

        var integration = await OkAsync("get_integration", """{"slug":"azure-prod"}""");

        PortkeyStub.AssertJsonEqual("""
            {"azure_resource_name":"contoso","azure_auth_mode":"entra","masked_azure_entra_client_secret":"[REDACTED]","azure_entra_client_secret":"[REDACTED]"}
            """, System.Text.Json.Nodes.JsonNode.Parse(integration.GetProperty("configurations").GetRawText()));
        Assert.DoesNotContain("leaked-secret-value", integration.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("ab****yz", 2), (integration.GetProperty("masked_key").GetString(), integration.GetProperty("workspace_count").GetInt32()));
    }

    private const string CurrentModels = """
        {"total":3,"allow_all_models":false,"models":[{"slug":"gpt-4o","enabled":true},{"slug":"gpt-4","enabled":"1"},{"slug":"o1","enabled":false,"is_custom":0}]}
        """;

    [Fact]
    public async Task Update_integration_models_reads_first_and_says_what_it_enables_disables_and_adds()
    {
        Portkey.Reply("GET", "integrations/openai-org/models", 200, CurrentModels);
        Portkey.Reply("PUT", "integrations/openai-org/models", 200, "{}");
        const string Arguments = """
            "slug":"openai-org","models":[{"slug":"gpt-4","enabled":false},{"slug":"o1","enabled":true},{"slug":"ft-support","enabled":true,"is_custom":true,"is_finetune":true,"base_model_slug":"gpt-4o"}]
            """;

        var preview = await OkAsync("update_integration_models", "{" + Arguments + ",\"dry_run\":true}");
        Assert.Equal(["GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        var result = await OkAsync("update_integration_models", "{" + Arguments + "}");

        const string Changes = """{"enabled":["o1"],"disabled":["gpt-4"],"added":["ft-support"],"unchanged":0}""";
        PortkeyStub.AssertJsonEqual(Changes, System.Text.Json.Nodes.JsonNode.Parse(preview.GetProperty("request").GetProperty("changes").GetRawText()));
        PortkeyStub.AssertJsonEqual(Changes, System.Text.Json.Nodes.JsonNode.Parse(result.GetProperty("changes").GetRawText()));
        PortkeyStub.AssertJsonEqual("""
            {"models":[{"slug":"gpt-4","enabled":false},{"slug":"o1","enabled":true},{"slug":"ft-support","enabled":true,"is_custom":true,"is_finetune":true,"base_model_slug":"gpt-4o"}],
             "allow_all_models":false}
            """, PortkeyStub.Body(Portkey.Single("PUT", "integrations/openai-org/models")));
    }

    [Fact]
    public async Task List_integration_models_pages_the_whole_list_portkey_returns_and_delete_names_the_model_in_the_query()
    {
        Portkey.Reply("GET", "integrations/openai-org/models", 200, CurrentModels);
        Portkey.Reply("DELETE", "integrations/openai-org/models", 200, "{}");

        var page = await OkAsync("list_integration_models", """{"slug":"openai-org","page_size":2,"current_page":1}""");
        await OkAsync("delete_integration_model", """{"slug":"openai-org","model_slug":"ft-support"}""");

        Assert.Equal((3, false), (page.GetProperty("total").GetInt64(), page.GetProperty("has_more").GetBoolean()));
        var only = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(("o1", false, false), (only.GetProperty("slug").GetString(), only.GetProperty("enabled").GetBoolean(), only.GetProperty("is_custom").GetBoolean()));
        Assert.Equal("slugs=ft-support", PortkeyStub.Query(Portkey.Single("DELETE", "integrations/openai-org/models")));
    }

    [Fact]
    public async Task Update_integration_workspaces_resolves_uuids_merges_limits_as_on_keys_and_reports_the_changes()
    {
        Portkey.Reply("GET", "integrations/openai-org/workspaces", 200, """
            {"total":2,"workspaces":[
             {"id":"ml-team","enabled":true,"usage_limits":[{"type":"cost","credit_limit":100,"alert_threshold":80,"periodic_reset":"monthly"}],"rate_limits":[{"type":"requests","unit":"rpm","value":60}]},
             {"id":"ops","enabled":true,"usage_limits":null,"rate_limits":null}]}
            """);
        Portkey.Reply("GET", $"admin/workspaces/{ResearchId}", 200, $$"""{"id":"{{ResearchId}}","slug":"research","name":"Research"}""");
        Portkey.Reply("PUT", "integrations/openai-org/workspaces", 200, "{}");

        var result = await OkAsync("update_integration_workspaces", $$"""
            {"slug":"openai-org","workspaces":[
              {"id":"{{ResearchId.ToUpperInvariant()}}","enabled":true,"credit_limit":200,"alert_threshold":50,"periodic_reset":"monthly"},
              {"id":"ml-team","enabled":true,"credit_limit":300},
              {"id":"ops","enabled":false}]}
            """);
        var twice = await Server.CallAsync("update_integration_workspaces", $$"""
            {"slug":"openai-org","workspaces":[{"id":"{{ResearchId}}","enabled":true},{"id":"research","enabled":false}]}
            """);
        Assert.Contains("workspaces[1].id: names workspace research again (as its UUID or its slug)", InProcessServer.Text(twice), StringComparison.Ordinal);

        PortkeyStub.AssertJsonEqual("""
            {"workspaces":[
              {"id":"research","enabled":true,"usage_limits":[{"type":"cost","credit_limit":200,"alert_threshold":100,"periodic_reset":"monthly"}]},
              {"id":"ml-team","enabled":true,"usage_limits":[{"type":"cost","credit_limit":300,"alert_threshold":240,"periodic_reset":"monthly"}],"rate_limits":[{"type":"requests","unit":"rpm","value":60}]},
              {"id":"ops","enabled":false}]}
            """, PortkeyStub.Body(Portkey.Single("PUT", "integrations/openai-org/workspaces")));
        PortkeyStub.AssertJsonEqual("""{"enabled":["research"],"disabled":["ops"],"limits_changed":["ml-team"],"unchanged":0}""",
            System.Text.Json.Nodes.JsonNode.Parse(result.GetProperty("changes").GetRawText()));
    }

    [Fact]
    public async Task Each_workspace_entry_is_checked_like_a_keys_limits_with_its_path_and_nothing_is_sent()
    {
        var result = await Server.CallAsync("update_integration_workspaces", """
            {"slug":"openai-org","workspaces":[{"id":"a","enabled":true,"periodic_reset":"weekly","periodic_reset_days":3},
             {"id":"b","enabled":true,"rate_limit_rpm":10,"rate_limits":[]},{"id":"A","enabled":false}]}
            """);

        Assert.True(result.IsError);
        var text = InProcessServer.Text(result);
        foreach (var problem in new[]
        {
            "workspaces: lists id a more than once",
            "workspaces[0].periodic_reset_days: cannot be combined with periodic_reset; choose one",
            "workspaces[1].rate_limits: cannot be combined with rate_limit_rpm; choose one",
        })
        {
            Assert.Contains(problem, text, StringComparison.Ordinal);
        }

        Assert.Empty(Portkey.Requests);
    }
}
