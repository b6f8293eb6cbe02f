using System.Text.Json;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.LimitPolicies;

/// <summary>
/// The limits toolset against a stand-in Portkey: policies checked before they are sent (keys, types, units, all
/// problems at once), alert percentages converted and limits merged as the key tools do, the exact request of every
/// endpoint.
/// </summary>
public class LimitPolicyToolTests : StubbedServerTest
{
    private const string Id = "a1b2c3d4-0000-4000-8000-00000000c0de";
    private const string Workspace = "6e5a9f93-ae3a-46b4-a87d-2464d373ef7e";

    private const string UsagePolicy = $$"""
        {"id":"{{Id}}","name":"ML budget","type":"cost","status":"active","workspace_id":"{{Workspace}}","organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11",
         "conditions":[{"key":"workspace_id","value":"ml-team"}],"group_by":[{"key":"api_key"}],"credit_limit":500,"alert_threshold":400,
         "periodic_reset":"monthly","created_at":"2026-11-01T00:00:00Z","last_updated_at":"2026-11-01T00:00:00Z","object":"policy_usage_limits"}
        """;

    private const string RatePolicy = $$"""
        {"id":"{{Id}}","name":"Org RPM","type":"requests","unit":"rpm","value":600,"status":"active","workspace_id":"{{Workspace}}",
         "organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11","conditions":[{"key":"provider","value":"openai-ml"}],"group_by":[{"key":"api_key"}],
         "created_at":"2026-11-01T00:00:00Z","last_updated_at":"2026-11-01T00:00:00Z","object":"policy_rate_limits"}
        """;

    protected override Dictionary<string, string?> Settings => new() { ["PORTKEY_MCP_TOOLSETS"] = "limits" };

    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        await Server.AssertMatchesOutputSchemaAsync(tool, result);
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task Create_usage_limit_sends_the_policy_with_the_alert_converted_from_a_percent()
    {
        Portkey.Reply("POST", "policies/usage-limits", 200, $$"""{"id":"{{Id}}","object":"policy_usage_limits"}""");

        var result = await OkAsync("create_usage_limit", $$"""
            {"name":"ML budget","conditions":[{"key":"workspace_id","value":"ml-team"},{"key":"metadata._user","value":["alice","bob"],"excludes":"carol"}],
             "group_by":[{"key":"api_key"}],"type":"cost","credit_limit":500,"alert_threshold":80,"periodic_reset":"monthly","workspace_id":"{{Workspace}}"}
            """);

        PortkeyStub.AssertJsonEqual($$"""
            {"name":"ML budget","conditions":[{"key":"workspace_id","value":"ml-team"},{"key":"metadata._user","value":["alice","bob"],"excludes":"carol"}],
             "group_by":[{"key":"api_key"}],"type":"cost","credit_limit":500,"alert_threshold":400,"periodic_reset":"monthly","workspace_id":"{{Workspace}}"}
            """, PortkeyStub.Body(Portkey.Single("POST", "policies/usage-limits")));
        Assert.Equal(Id, result.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_policy_is_checked_before_it_is_sent_with_every_problem_named_at_once()
    {
        var usage = await Server.CallAsync("create_usage_limit", """
            {"name":"x","conditions":[{"key":"user","value":"alice"},{"key":"model","value":[]},{"key":"metadata._team","value":5}],
             "group_by":[{"key":"team"}],"type":"tokens","credit_limit":50,"periodic_reset":"weekly","periodic_reset_days":7}
            """);
        var rate = await Server.CallAsync("create_rate_limit", """
            {"name":"x","conditions":[{"key":"model","value":"gpt-4o"},{"key":"endpoint_type","value":"chat"}],"group_by":[{"key":"mcp_tool"}],
             "type":"requests","unit":"rpm","value":10,"target":"mcp_tools"}
            """);

        Assert.Equal("""
            Invalid arguments for create_usage_limit (nothing was sent to Portkey):
            - conditions[0].key: must be one of api_key, workspace_id, organisation_id, virtual_key, provider, config, prompt, model or metadata.<name> for this policy (got 'user')
            - conditions[1].value: must list 1 to 100 values
            - conditions[2].value: must be a string or a list of strings
            - group_by[0].key: must be one of api_key, workspace_id, organisation_id, virtual_key, provider, config, prompt, model or metadata.<name> for this policy (got 'team')
            - periodic_reset_days: cannot be combined with periodic_reset; choose one
            - credit_limit: must be at least 100 for a tokens policy
            """.ReplaceLineEndings("\n"), InProcessServer.Text(usage).ReplaceLineEndings("\n"));
        var rateText = InProcessServer.Text(rate);
        Assert.Contains("conditions[0].key: must be one of api_key, workspace_id, mcp_server, mcp_tool or metadata.<name> for this policy (got 'model')", rateText, StringComparison.Ordinal);
        Assert.Contains("conditions[1].key: must be one of api_key, workspace_id, mcp_server, mcp_tool or metadata.<name> for this policy (got 'endpoint_type')", rateText, StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task An_endpoint_type_condition_takes_only_the_gateways_endpoint_types()
    {
        var result = await Server.CallAsync("create_rate_limit", """
            {"name":"x","conditions":[{"key":"endpoint_type","value":["chatComplete","chat"]}],"group_by":[{"key":"api_key"}],"type":"requests","unit":"rpm","value":10}
            """);

        Assert.Contains("conditions[0].value: must be chatComplete, embed, imageGenerate or * for endpoint_type (got 'chat')", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task Update_usage_limit_reads_first_keeps_the_alert_percentage_and_reads_back()
    {
        Portkey.Reply("GET", $"policies/usage-limits/{Id}", 200, UsagePolicy);
        Portkey.Reply("PUT", $"policies/usage-limits/{Id}", 200, "{}");

        var result = await OkAsync("update_usage_limit", $$"""{"id":"{{Id}}","credit_limit":1000,"name":"ML budget 2"}""");

        Assert.Equal(["GET", "PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        PortkeyStub.AssertJsonEqual("""{"name":"ML budget 2","credit_limit":1000,"alert_threshold":800,"periodic_reset":"monthly"}""",
            PortkeyStub.Body(Portkey.Single("PUT", $"policies/usage-limits/{Id}")));
        Assert.Equal(80, result.GetProperty("policy").GetProperty("alert_threshold_percent").GetDouble());
        Assert.Equal(["credit_limit", "name"], result.GetProperty("updated_fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task A_reset_in_days_replaces_a_monthly_one_and_clears_it()
    {
        Portkey.Reply("GET", $"policies/usage-limits/{Id}", 200, UsagePolicy);
        Portkey.Reply("PUT", $"policies/usage-limits/{Id}", 200, "{}");

        await OkAsync("update_usage_limit", $$"""{"id":"{{Id}}","periodic_reset_days":10}""");

        PortkeyStub.AssertJsonEqual("""{"credit_limit":500,"alert_threshold":400,"periodic_reset_days":10,"periodic_reset":null}""",
            PortkeyStub.Body(Portkey.Requests.Single(r => r.RequestMessage.Method == "PUT")));
    }

    [Fact]
    public async Task A_null_reset_makes_the_budget_cumulative_and_a_rename_needs_no_read()
    {
        Portkey.Reply("GET", $"policies/usage-limits/{Id}", 200, UsagePolicy);
        Portkey.Reply("PUT", $"policies/usage-limits/{Id}", 200, "{}");

        await OkAsync("update_usage_limit", $$"""{"id":"{{Id}}","periodic_reset":null}""");
        PortkeyStub.AssertJsonEqual("""{"credit_limit":500,"alert_threshold":400,"periodic_reset":null,"periodic_reset_days":null}""",
            PortkeyStub.Body(Portkey.Requests.Single(r => r.RequestMessage.Method == "PUT")));

        Portkey.Server.ResetLogEntries();
        await OkAsync("update_usage_limit", $$"""{"id":"{{Id}}","description":"Team ML"}""");
        Assert.Equal(["PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
    }

    [Fact]
    public async Task Lists_gets_entities_resets_and_deletes_send_exactly_what_portkey_documents()
    {
        Portkey.Reply("GET", "policies/usage-limits", 200, $$"""{"object":"list","total":1,"data":[{{UsagePolicy}}]}""");
        Portkey.Reply("GET", $"policies/usage-limits/{Id}", 200, UsagePolicy.Replace("\"object\"", "\"value_key_usage_map\":{\"api_key:k1\":{\"current_usage\":12.5,\"status\":\"active\"}},\"object\"", StringComparison.Ordinal));
        Portkey.Reply("GET", $"policies/usage-limits/{Id}/entities", 200, """{"object":"list","total":1,"data":[{"id":"ent-1","value_key":"api_key:k1","current_usage":12.5,"status":"active"}]}""");
        Portkey.Reply("PUT", $"policies/usage-limits/{Id}/entities/ent-1/reset", 200, "{}");
        Portkey.Reply("DELETE", $"policies/usage-limits/{Id}", 200, "{}");
        Portkey.Reply("GET", "policies/rate-limits", 200, $$"""{"object":"list","total":1,"data":[{{RatePolicy}}]}""");
        Portkey.Reply("DELETE", $"policies/rate-limits/{Id}", 200, "{}");

        var list = await OkAsync("list_usage_limits", $$"""{"workspace_id":"{{Workspace}}","status":"archived","type":"cost","page_size":10,"current_page":0}""");
        var got = await OkAsync("get_usage_limit", $$"""{"id":"{{Id}}","include_usage":true}""");
        var entities = await OkAsync("list_usage_limit_entities", $$"""{"limit_id":"{{Id}}","status":"active","search":"k1","page_size":5,"current_page":0}""");
        await OkAsync("reset_usage_limit_entity", $$"""{"limit_id":"{{Id}}","entity_id":"ent-1"}""");
        await OkAsync("delete_usage_limit", $$"""{"id":"{{Id}}"}""");
        var rates = await OkAsync("list_rate_limits", """{"unit":"rpm","type":"requests"}""");
        await OkAsync("delete_rate_limit", $$"""{"id":"{{Id}}"}""");

        Assert.Equal($"page_size=10&current_page=0&workspace_id={Workspace}&status=archived&type=cost", PortkeyStub.Query(Portkey.Single("GET", "policies/usage-limits")));
        Assert.Equal("include_usage=true", PortkeyStub.Query(Portkey.Single("GET", $"policies/usage-limits/{Id}")));
        Assert.Equal("page_size=5&current_page=0&status=active&search=k1", PortkeyStub.Query(Portkey.Single("GET", $"policies/usage-limits/{Id}/entities")));
        Assert.True(string.IsNullOrEmpty(Portkey.Single("PUT", $"policies/usage-limits/{Id}/entities/ent-1/reset").RequestMessage.Body));
        Assert.Equal(1, Portkey.Count("DELETE", $"policies/usage-limits/{Id}"));
        Assert.Equal("type=requests&unit=rpm", PortkeyStub.Query(Portkey.Single("GET", "policies/rate-limits")));
        Assert.Equal(1, Portkey.Count("DELETE", $"policies/rate-limits/{Id}"));
        Assert.Equal((1, 80), (list.GetProperty("total").GetInt64(), list.GetProperty("items")[0].GetProperty("alert_threshold_percent").GetDouble()));
        Assert.Equal(12.5, got.GetProperty("usage").GetProperty("api_key:k1").GetProperty("current_usage").GetDouble());
        Assert.Equal("api_key:k1", entities.GetProperty("items")[0].GetProperty("value_key").GetString());
        Assert.Equal(600, rates.GetProperty("items")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Create_and_update_rate_limit_send_the_documented_bodies()
    {
        Portkey.Reply("POST", "policies/rate-limits", 200, $$"""{"id":"{{Id}}","object":"policy_rate_limits"}""");
        Portkey.Reply("PUT", $"policies/rate-limits/{Id}", 200, "{}");
        Portkey.Reply("GET", $"policies/rate-limits/{Id}", 200, RatePolicy);

        await OkAsync("create_rate_limit", """
            {"name":"Org RPM","conditions":[{"key":"provider","value":"openai-ml"},{"key":"endpoint_type","value":"chatComplete"}],"group_by":[{"key":"api_key"}],
             "type":"requests","unit":"rpm","value":600}
            """);
        var updated = await OkAsync("update_rate_limit", $$"""{"id":"{{Id}}","value":300,"unit":"rpm"}""");

        PortkeyStub.AssertJsonEqual("""
            {"name":"Org RPM","conditions":[{"key":"provider","value":"openai-ml"},{"key":"endpoint_type","value":"chatComplete"}],"group_by":[{"key":"api_key"}],
             "type":"requests","unit":"rpm","value":600}
            """, PortkeyStub.Body(Portkey.Single("POST", "policies/rate-limits")));
        PortkeyStub.AssertJsonEqual("""{"unit":"rpm","value":300}""", PortkeyStub.Body(Portkey.Single("PUT", $"policies/rate-limits/{Id}")));
        Assert.Equal("Org RPM", updated.GetProperty("policy").GetProperty("name").GetString());
    }
}
