using System.Text.Json;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.ApiKeys;

/// <summary>Each write tool end to end through the MCP client: the exact request upstream, the exact result.</summary>
public class ApiKeyToolCallTests : StubbedServerTest
{
    private const string OneTimeSecret = "pk-live-Ab3dEf6hIj9kLm2n";

    [Fact]
    public async Task An_update_whose_read_back_fails_is_still_reported_as_done()
    {
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 404, """{"data":{"message":"gone","errorCode":"AB08"}}""");

        var result = await Server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","name":"n"}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.StartsWith("Updated, but reading it back failed: Portkey returned HTTP 404", result.StructuredContent!.Value.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(result.StructuredContent!.Value.TryGetProperty("api_key", out _));
        Assert.Equal(1, Portkey.Count("PUT", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task Create_api_key_posts_the_mapped_body_once_and_returns_the_one_time_secret()
    {
        Portkey.Reply("POST", "api-keys/workspace/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{OneTimeSecret}}","object":"api-key"}""");

        var result = await Server.CallAsync("create_api_key", """
            {"name":"ci-bot","type":"workspace","sub_type":"service","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e",
             "scopes":["completions.write"],"credit_limit":250,"alert_threshold":80,"rate_limit_rpm":60,"alert_emails":["ops@example.com"]}
            """);

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        var entry = Portkey.Single("POST", "api-keys/workspace/service");
        Assert.Equal(PortkeyStub.ApiKey, entry.RequestMessage.Headers!["x-portkey-api-key"].Single());
        Assert.StartsWith("application/json", entry.RequestMessage.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
        PortkeyStub.AssertJsonEqual("""
            {"name":"ci-bot","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","scopes":["completions.write"],
             "alert_emails":["ops@example.com"],"usage_limits":{"type":"cost","credit_limit":250,"alert_threshold":200},
             "rate_limits":[{"type":"requests","unit":"rpm","value":60}]}
            """, PortkeyStub.Body(entry));

        var structured = result.StructuredContent!.Value;
        Assert.Equal(LiveApiKey.Id, structured.GetProperty("id").GetString());
        Assert.Equal(OneTimeSecret, structured.GetProperty("key").GetString());
        Assert.Equal("workspace-service", structured.GetProperty("type").GetString());
        Assert.Contains("only time", structured.GetProperty("warning").GetString(), StringComparison.Ordinal);
        // The secret is in the result by design (inline mode), and in no log line.
        Assert.DoesNotContain(OneTimeSecret, Server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(PortkeyStub.ApiKey, Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_api_key_with_invalid_arguments_sends_nothing()
    {
        var result = await Server.CallAsync("create_api_key", """{"name":"x","type":"workspace","sub_type":"user","scopes":["logs.view"],"credit_limit":0}""");
        Assert.True(result.IsError);
        Assert.Equal(
            "Invalid arguments for create_api_key (nothing was sent to Portkey):\n- credit_limit: must be at least 1 (got 0)\n- workspace_id: is required when type is workspace (list_workspaces finds its id)\n- user_id: is required when sub_type is user (list_all_users finds it by email)",
            InProcessServer.Text(result));
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task Update_api_key_merges_limits_after_reading_and_returns_the_state_read_back()
    {
        var before = LiveApiKey.With("\"usage_limits\":null", "\"usage_limits\":{\"type\":\"tokens\",\"credit_limit\":100000,\"alert_threshold\":50000,\"periodic_reset\":\"weekly\"}");
        var after = LiveApiKey.With("\"usage_limits\":null", "\"usage_limits\":{\"type\":\"tokens\",\"credit_limit\":200000,\"alert_threshold\":100000,\"periodic_reset\":\"weekly\"}")
            .Replace("\"name\":\"gira-app\"", "\"name\":\"gira-app-2\"", StringComparison.Ordinal);
        Portkey.ReplySequence("GET", $"api-keys/{LiveApiKey.Id}", (200, before), (200, after));
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, "{}");

        var result = await Server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","name":"gira-app-2","credit_limit":200000}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal(["GET", "PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        PortkeyStub.AssertJsonEqual(
            """{"name":"gira-app-2","usage_limits":{"type":"tokens","credit_limit":200000,"alert_threshold":100000,"periodic_reset":"weekly"}}""",
            PortkeyStub.Body(Portkey.Single("PUT", $"api-keys/{LiveApiKey.Id}")));
        var structured = result.StructuredContent!.Value;
        Assert.Equal("Updated.", structured.GetProperty("message").GetString());
        Assert.Equal(["credit_limit", "name"], structured.GetProperty("updated_fields").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("gira-app-2", structured.GetProperty("api_key").GetProperty("name").GetString());
        Assert.Equal(50, structured.GetProperty("api_key").GetProperty("usage_limits").GetProperty("alert_threshold_percent").GetDouble());
    }

    [Fact]
    public async Task Update_api_key_without_limits_does_not_read_first_and_clears_expiry_with_null()
    {
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);

        var result = await Server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","expires_at":null,"scopes":["logs.view"]}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal(["PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        PortkeyStub.AssertJsonEqual("""{"scopes":["logs.view"],"expires_at":null}""", PortkeyStub.Body(Portkey.Single("PUT", $"api-keys/{LiveApiKey.Id}")));
    }

    [Fact]
    public async Task Update_alert_percentage_on_a_key_without_a_credit_limit_is_refused_before_the_put()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        var result = await Server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","alert_threshold":80}""");
        Assert.True(result.IsError);
        Assert.Equal(
            "Invalid arguments for update_api_key (nothing was sent to Portkey):\n- alert_threshold: the record has no credit limit to take a percentage of; give credit_limit too",
            InProcessServer.Text(result));
        Assert.Equal(0, Portkey.Count("PUT", $"api-keys/{LiveApiKey.Id}"));
    }
}
