using System.Text.Json;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Security;

/// <summary>
/// Secrets stay out of every output whatever the agent sends: what one call passes as a secret cannot blank out what
/// a human or an auditor is shown about another call, cannot push the server's own secrets out of the scrubber, and
/// an upstream that echoes a secret — in an error or in a 200 — does not carry it into a result.
/// </summary>
public sealed class CallSecretsTests : PolicyServerTest
{
    private const string Victim = "7d3e1c55-31a1-4f57-9d0b-6a2f1e0c9b44";
    private const string ProviderKey = "sk-proj-CallSecretsProviderKey0001";

    private static string Serialized(CallToolResult result) => JsonSerializer.Serialize(result, ModelContextProtocol.McpJsonUtilities.DefaultOptions);

    [Fact]
    public async Task Values_an_agent_sent_as_provider_keys_cannot_blank_out_a_later_approval_prompt_or_audit_line()
    {
        Portkey.Reply("DELETE", $"api-keys/{Victim}", 200, "{}");
        var prompts = new List<string>();
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: deletions need a human, action: require_approval}
            """, (request, _) =>
        {
            prompts.Add(request!.Message);
            return ValueTask.FromResult(new ElicitResult { Action = "accept" });
        });

        // Three invalid calls (no provider) whose "provider keys" are the words the approver must read.
        foreach (var word in new[] { "delete_api_key", "DELETE", Victim, "api-keys", "Request" })
        {
            Assert.True((await server.CallAsync("create_virtual_key", $$"""{"name":"x","key":"{{word}}"}""")).IsError);
        }

        var deleted = await server.CallAsync("delete_api_key", $$"""{"id":"{{Victim}}"}""");

        Assert.True(deleted.IsError is not true, InProcessServer.Text(deleted));
        var prompt = Assert.Single(prompts);
        Assert.Contains("Tool: delete_api_key\n", prompt, StringComparison.Ordinal);
        Assert.Contains($"Request: DELETE {Portkey.BaseUrl}/api-keys/{Victim}", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("[REDACTED]", prompt, StringComparison.Ordinal);
        var line = AuditLines()[^1];
        Assert.Equal("delete_api_key", (string?)line["tool"]);
        Assert.Equal(Victim, (string?)line["arguments"]!["id"]);
        // The invalid calls' own secret field is masked in their own lines, whatever it held.
        Assert.All(AuditLines().SkipLast(1), l => Assert.Equal("[REDACTED]", (string?)l["arguments"]!["key"]));
    }

    [Fact]
    public async Task A_flood_of_junk_provider_keys_cannot_push_the_admin_key_out_of_the_scrubber()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 401, $$"""{"message":"invalid api key {{PortkeyStub.ApiKey}}"}""");
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        for (var i = 0; i < 1200; i++)
        {
            await server.Client.CallToolAsync("create_virtual_key",
                new Dictionary<string, object?> { ["name"] = "x", ["key"] = $"junk-provider-key-{i:D6}-{new string('z', 40)}" },
                cancellationToken: Bounded.Token());
        }

        var result = await server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.Contains("invalid api key [REDACTED]", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain(PortkeyStub.ApiKey, Serialized(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(490)]
    [InlineData(495)]
    [InlineData(497)]
    [InlineData(499)]
    public async Task An_upstream_message_is_masked_before_it_is_cut_so_no_part_of_a_secret_straddles_the_cut(int position)
    {
        var message = new string('m', position) + ProviderKey + new string('n', 200);
        Portkey.Reply("PUT", "virtual-keys/oa-1", 400, JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }));
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 400, JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message.Replace(ProviderKey, PortkeyStub.ApiKey, StringComparison.Ordinal) }));
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var update = await server.CallAsync("update_virtual_key", $$"""{"slug":"oa-1","key":"{{ProviderKey}}"}""");
        var get = await server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        foreach (var (result, secret) in new[] { (update, ProviderKey), (get, PortkeyStub.ApiKey) })
        {
            var text = InProcessServer.Text(result);
            Assert.True(result.IsError);
            Assert.Contains(new string('m', Math.Min(position, 497)), text, StringComparison.Ordinal);
            // Not even the first eight characters of the secret survive, wherever the cut fell.
            Assert.DoesNotContain(secret[..8], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_upstream_that_echoes_the_provider_key_in_a_200_does_not_carry_it_into_the_result()
    {
        Portkey.Reply("POST", "virtual-keys", 200, $$"""{"id":"1","slug":"{{ProviderKey}}","object":"virtual-key"}""");
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var result = await server.CallAsync("create_virtual_key", $$"""{"name":"oa","provider":"openai","key":"{{ProviderKey}}"}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal("[REDACTED]", result.StructuredContent!.Value.GetProperty("slug").GetString());
        Assert.DoesNotContain(ProviderKey, Serialized(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_that_echoes_a_one_time_secret_or_model_config_tokens_in_a_200_does_not_carry_them_into_results()
    {
        const string issued = "pk-live-IssuedOnceSecret77";
        Portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{issued}}"}""");
        Portkey.Reply("GET", "virtual-keys/azure-1", 200, $$$"""
            {"slug":"azure-1","name":"{{{issued}}}","ai_provider_name":"azure-openai","note":"{{{PortkeyStub.ApiKey}}}",
             "model_config":{"apiToken":"tok-live-000111222333","azureAdToken":"eyJhbGciOi.payload.sig","resourceName":"contoso"}}
            """);
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var created = await server.CallAsync("create_api_key", """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");
        var read = await server.CallAsync("get_virtual_key", """{"slug":"azure-1"}""");

        // The create delivers its own secret on purpose (inline mode, the seed contract) ...
        Assert.Equal(issued, created.StructuredContent!.Value.GetProperty("key").GetString());
        // ... and no other result carries it, the admin key, or model_config tokens.
        var text = Serialized(read);
        Assert.DoesNotContain(issued, text, StringComparison.Ordinal);
        Assert.DoesNotContain(PortkeyStub.ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-live-000111222333", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGciOi", text, StringComparison.Ordinal);
        Assert.Equal("contoso", read.StructuredContent!.Value.GetProperty("model_config").GetProperty("resourceName").GetString());
    }

    [Fact]
    public async Task The_text_block_is_json_escaped_only_where_json_requires_it()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.With("\"description\":\"Gira backend\"", "\"description\":\"R&D's <key> \\u00e9t\\u00e9\""));
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var result = await server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.Contains("\"description\":\"R&D's <key> été\"", InProcessServer.Text(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("x{0}y")]
    public async Task An_upstream_that_answers_a_create_with_the_admin_key_does_not_get_it_shown(string shape)
    {
        var answered = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, PortkeyStub.ApiKey);
        Portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{answered}}"}""");
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var result = await server.CallAsync("create_api_key", """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");

        Assert.True(result.IsError);
        Assert.Equal("Portkey's answer carries this server's own credentials where the new secret should be, so it is not shown. The key may exist: list keys before creating another.",
            InProcessServer.Text(result));
        Assert.DoesNotContain(PortkeyStub.ApiKey, Serialized(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_config_shows_only_fields_known_to_hold_no_secret_whatever_the_rest_are_called_or_hold()
    {
        Portkey.Reply("GET", "virtual-keys/vx-1", 200, """
            {"slug":"vx-1","ai_provider_name":"vertex-ai","model_config":{"api\u0054oken":"sk-LEAK-1","azureAdToken":["sk-LEAK-2"],
             "awsSecretAccessKey":{"v":"sk-LEAK-3"},"vertexServiceAccountJson":"-----BEGIN PRIVATE KEY-----abc","vertexRegion":"europe-west4",
             "deploymentConfig":[{"deploymentName":"gpt4o","apiVersion":"2024-10-21","apiKey":"sk-LEAK-4"}]}}
            """);
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var result = await server.CallAsync("get_virtual_key", """{"slug":"vx-1"}""");

        var config = result.StructuredContent!.Value.GetProperty("model_config");
        Assert.Equal("europe-west4", config.GetProperty("vertexRegion").GetString());
        Assert.Equal("gpt4o", config.GetProperty("deploymentConfig")[0].GetProperty("deploymentName").GetString());
        Assert.Equal("[REDACTED]", config.GetProperty("deploymentConfig")[0].GetProperty("apiKey").GetString());
        foreach (var leak in new[] { "sk-LEAK", "PRIVATE KEY" })
        {
            Assert.DoesNotContain(leak, Serialized(result), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_upstream_error_code_that_is_not_a_code_is_not_dumped()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 400, JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = "bad", ["errorCode"] = new string('c', 2_000_000) }));
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var result = await server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.StartsWith($"Portkey refused get_api_key (GET /api-keys/{LiveApiKey.Id}): HTTP 400 (unreadable code) - bad", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.InRange(InProcessServer.Text(result).Length, 1, 1000);
    }

    [Fact]
    public async Task An_approval_prompt_shows_invisible_direction_marks_as_escapes()
    {
        Portkey.Reply("POST", "virtual-keys", 200, """{"slug":"oa-1"}""");
        var prompts = new List<string>();
        var server = await StartAsync("""
            version: "1"
            tools:
              create_virtual_key:
                rules:
                  - {name: ask, action: require_approval}
            """, (request, _) =>
        {
            prompts.Add(request!.Message);
            return ValueTask.FromResult(new ElicitResult { Action = "decline" });
        });

        await server.CallAsync("create_virtual_key", $$"""{"name":"safe\u202Eyek-ffo","provider":"openai","key":"{{ProviderKey}}"}""");

        Assert.Contains("safe\\u202Eyek-ffo", Assert.Single(prompts), StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", prompts[0], StringComparison.Ordinal);
    }
}
