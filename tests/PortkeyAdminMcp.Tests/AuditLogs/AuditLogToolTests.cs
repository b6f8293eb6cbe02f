using System.Text.Json;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.AuditLogs;

/// <summary>list_audit_logs against a stand-in Portkey: the required query, the records envelope, masked bodies and headers.</summary>
public class AuditLogToolTests : StubbedServerTest
{
    private const string Organisation = "02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11";

    protected override Dictionary<string, string?> Settings => new() { ["PORTKEY_MCP_TOOLSETS"] = "audit" };

    /// <summary>As the API documents a record (reference §11): body, query and headers are JSON strings.</summary>
    private const string Records = """
        {"object":"analytics-graph","total":2,"records":[
         {"timestamp":"2026-12-01T10:00:00Z","method":"POST","uri":"/v1/integrations","request_id":"req-1",
          "request_body":"{\"name\":\"OpenAI\",\"ai_provider_id\":\"openai\",\"key\":\"sk-live-abcdef123456\",\"configurations\":{\"openai_organization\":\"org-1\"}}",
          "query_params":"{}","request_headers":"{\"content-type\":\"application/json\",\"x-portkey-api-key\":\"pk-admin-xyz\",\"authorization\":\"Bearer t0k3n\"}",
          "user_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef70","user_type":"api_key","organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11",
          "workspace_id":null,"response_status_code":200,"resource_type":"integrations","action":"create","client_ip":"10.0.0.1","country":"DE"},
         {"timestamp":"2026-12-01T11:00:00Z","method":"DELETE","uri":"/v1/providers/old","request_id":"req-2","request_body":"not json",
          "query_params":null,"request_headers":"{}","response_status_code":"200","resource_type":"providers","action":"delete"}]}
        """;

    [Fact]
    public async Task List_audit_logs_sends_the_required_range_and_organisation_and_filters_and_masks_what_it_returns()
    {
        Portkey.Reply("GET", "audit-logs", 200, Records);

        var result = await Server.CallAsync("list_audit_logs",
            $$"""{"start_time":"2026-12-01T00:00:00Z","end_time":"2026-12-02T00:00:00Z","organisation_id":"{{Organisation.ToUpperInvariant()}}","method":"POST","resource_type":"integrations","page_size":50,"current_page":0}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        await Server.AssertMatchesOutputSchemaAsync("list_audit_logs", result);
        Assert.Equal($"page_size=50&current_page=0&start_time=2026-12-01T00%3A00%3A00Z&end_time=2026-12-02T00%3A00%3A00Z&organisation_id={Organisation}&method=POST&resource_type=integrations",
            PortkeyStub.Query(Portkey.Single("GET", "audit-logs")));
        var page = result.StructuredContent!.Value;
        Assert.Equal((2, false), (page.GetProperty("total").GetInt64(), page.GetProperty("has_more").GetBoolean()));
        var created = page.GetProperty("items")[0];
        Assert.Equal(("POST", "integrations", 200), (created.GetProperty("method").GetString(), created.GetProperty("resource_type").GetString(), created.GetProperty("response_status_code").GetInt32()));
        PortkeyStub.AssertJsonEqual("""{"name":"OpenAI","ai_provider_id":"openai","key":"[REDACTED]","configurations":"[REDACTED]"}""", System.Text.Json.Nodes.JsonNode.Parse(created.GetProperty("request_body").GetRawText()));
        PortkeyStub.AssertJsonEqual("""{"content-type":"application/json","x-portkey-api-key":"[REDACTED]","authorization":"[REDACTED]"}""", System.Text.Json.Nodes.JsonNode.Parse(created.GetProperty("request_headers").GetRawText()));
        Assert.Equal(200, page.GetProperty("items")[1].GetProperty("response_status_code").GetInt32());
        // Text that cannot be read field by field is not shown at all.
        Assert.Equal("[REDACTED]", page.GetProperty("items")[1].GetProperty("request_body").GetString());
        foreach (var secret in new[] { "sk-live-abcdef123456", "pk-admin-xyz", "t0k3n" })
        {
            Assert.DoesNotContain(secret, JsonSerializer.Serialize(result), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_range_and_the_organisation_are_checked_before_anything_is_sent()
    {
        var missing = await Server.CallAsync("list_audit_logs", """{"method":"GET"}""");
        var backwards = await Server.CallAsync("list_audit_logs",
            $$"""{"start_time":"2026-12-02T00:00:00Z","end_time":"2026-12-01T00:00:00Z","organisation_id":"{{Organisation}}"}""");
        var tooLong = await Server.CallAsync("list_audit_logs",
            $$"""{"start_time":"2024-01-01T00:00:00Z","end_time":"2026-12-01T00:00:00Z","organisation_id":"{{Organisation}}"}""");

        var text = InProcessServer.Text(missing);
        foreach (var field in new[] { "start_time", "end_time", "organisation_id", "method" })
        {
            Assert.Contains(field, text, StringComparison.Ordinal);
        }

        Assert.Contains("end_time: must be after start_time", InProcessServer.Text(backwards), StringComparison.Ordinal);
        Assert.Contains("end_time: must be at most 366 days after start_time", InProcessServer.Text(tooLong), StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task A_403_says_audit_logs_are_enterprise_and_admin_only()
    {
        Portkey.Reply("GET", "audit-logs", 403, """{"success":false,"data":{"message":"You do not have enough permissions to perform this action","errorCode":"AB03"}}""");

        var result = await Server.CallAsync("list_audit_logs",
            $$"""{"start_time":"2026-12-01T00:00:00Z","end_time":"2026-12-02T00:00:00Z","organisation_id":"{{Organisation}}"}""");

        Assert.True(result.IsError);
        Assert.Contains("Audit logs are a Portkey Enterprise feature", InProcessServer.Text(result), StringComparison.Ordinal);
    }
}
