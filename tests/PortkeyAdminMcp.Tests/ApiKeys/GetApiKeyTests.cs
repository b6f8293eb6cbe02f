using System.Text.Json;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.ApiKeys;

public class GetApiKeyTests : StubbedServerTest
{
    private async Task<JsonElement> GetAsync(string body)
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, body);
        var result = await Server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task Sends_one_GET_with_the_api_key_header_and_user_agent()
    {
        await GetAsync(LiveApiKey.Json);
        var request = Portkey.Single("GET", $"api-keys/{LiveApiKey.Id}").RequestMessage;
        Assert.Equal(PortkeyStub.ApiKey, request.Headers!["x-portkey-api-key"].Single());
        Assert.StartsWith("PortkeyAdminMcp/", request.Headers!["User-Agent"].Single(), StringComparison.Ordinal);
        Assert.Null(request.Body);
    }

    [Fact]
    public async Task Returns_the_live_record_with_the_key_left_masked()
    {
        var result = await GetAsync(LiveApiKey.Json);
        Assert.Equal("z1*****3AX", result.GetProperty("masked_key").GetString());
        Assert.Equal("gira-app", result.GetProperty("name").GetString());
        Assert.Equal("workspace-service", result.GetProperty("type").GetString());
        Assert.Equal("active", result.GetProperty("status").GetString());
        Assert.Equal(["prompts.render", "prompts.read", "completions.write"], result.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.False(result.TryGetProperty("key", out _));
        Assert.False(result.TryGetProperty("usage_limits", out _));
        Assert.Equal(0, result.GetProperty("rate_limits").GetArrayLength());
    }

    [Fact]
    public async Task Status_expired_is_reported_as_expired()
    {
        var result = await GetAsync(LiveApiKey.With("\"status\":\"active\"", "\"status\":\"expired\""));
        Assert.Equal("expired", result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Nulls_where_lists_are_documented_become_empty_lists()
    {
        var result = await GetAsync(LiveApiKey.With("\"rate_limits\":[]", "\"rate_limits\":null"));
        Assert.Equal(0, result.GetProperty("rate_limits").GetArrayLength());
        Assert.Equal(0, result.GetProperty("alert_emails").GetArrayLength());
        Assert.False(result.TryGetProperty("description", out _) && result.GetProperty("description").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Float_limits_are_read_and_the_alert_is_also_shown_as_a_percentage()
    {
        var result = await GetAsync(LiveApiKey.With("\"usage_limits\":null",
            "\"usage_limits\":{\"type\":\"cost\",\"credit_limit\":10.0,\"alert_threshold\":8.0,\"periodic_reset\":\"monthly\",\"is_expired_alerts_sent\":true}"));
        var limits = result.GetProperty("usage_limits");
        Assert.Equal(10, limits.GetProperty("credit_limit").GetDouble());
        Assert.Equal(8, limits.GetProperty("alert_threshold").GetDouble());
        Assert.Equal(80, limits.GetProperty("alert_threshold_percent").GetDouble());
        Assert.Equal("monthly", limits.GetProperty("periodic_reset").GetString());
    }

    [Fact]
    public async Task Usage_limits_with_only_unknown_keys_are_no_limits()
    {
        var result = await GetAsync(LiveApiKey.With("\"usage_limits\":null", "\"usage_limits\":{\"is_expired_alerts_sent\":true}"));
        Assert.False(result.TryGetProperty("usage_limits", out _));
    }

    [Theory]
    [InlineData("\"allow_config_override\":false}", "\"config_id\":null}", true)]
    [InlineData("\"allow_config_override\":null,\"api", "\"allow_config_override\":1,\"api", false)]
    public async Task Integer_allow_config_override_is_read_as_a_boolean(string original, string replacement, bool nestedRemoved)
    {
        var json = LiveApiKey.With(original, replacement);
        if (nestedRemoved)
        {
            json = json.Replace("\"allow_config_override\":null,\"api", "\"allow_config_override\":1,\"api", StringComparison.Ordinal);
        }

        var result = await GetAsync(json);
        // The nested boolean wins when present; the top-level 0/1 fills in when it is absent.
        Assert.Equal(nestedRemoved, result.GetProperty("defaults").GetProperty("allow_config_override").GetBoolean());
    }

    [Fact]
    public async Task Expiry_enforced_integer_is_a_boolean()
    {
        var result = await GetAsync(LiveApiKey.With("\"expiry_enforced\":0", "\"expiry_enforced\":1"));
        Assert.True(result.GetProperty("expiry_enforced").GetBoolean());
    }

    [Fact]
    public async Task Unknown_fields_are_tolerated()
    {
        var result = await GetAsync(LiveApiKey.With("\"object\":\"api-key\"", "\"object\":\"api-key\",\"brand_new_field\":{\"x\":[1,2]},\"another\":7"));
        Assert.Equal(LiveApiKey.Id, result.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Rotation_policy_is_shown_when_present()
    {
        var result = await GetAsync(LiveApiKey.With("\"object\":\"api-key\"",
            "\"object\":\"api-key\",\"rotation_policy\":{\"rotation_period\":\"monthly\",\"next_rotation_at\":\"2026-07-01T00:00:00.000Z\",\"key_transition_period_ms\":1800000,\"status\":\"ACTIVE\"}"));
        var policy = result.GetProperty("rotation_policy");
        Assert.Equal("monthly", policy.GetProperty("rotation_period").GetString());
        Assert.Equal(1800000, policy.GetProperty("key_transition_period_ms").GetDouble());
    }

    [Fact]
    public async Task Text_block_carries_the_same_json_as_the_structured_content()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        var result = await Server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        using var text = JsonDocument.Parse(InProcessServer.Text(result));
        Assert.True(JsonElement.DeepEquals(text.RootElement, result.StructuredContent!.Value));
    }

    [Fact]
    public async Task A_wrongly_shaped_answer_is_an_error_not_a_crash()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, """{"id":"x","scopes":"all"}""");
        var result = await Server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError);
        Assert.Equal($"Portkey answered GET /api-keys/{LiveApiKey.Id} with JSON of an unexpected shape ($.scopes); nothing can be read from it.", InProcessServer.Text(result));
    }
}
