using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;
using static PortkeyAdminMcp.Tests.Fixtures.LiveWorkspace;

namespace PortkeyAdminMcp.Tests.Workspaces;

/// <summary>The workspace and member tools against a stand-in Portkey: the exact request of every endpoint, tolerant reads.</summary>
public class WorkspaceToolTests : StubbedServerTest
{
    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        await Server.AssertMatchesOutputSchemaAsync(tool, result);
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task List_workspaces_sends_paging_and_filters_and_reads_the_live_list()
    {
        Portkey.Reply("GET", "admin/workspaces", 200, List);

        var page = await OkAsync("list_workspaces", """{"page_size":2,"current_page":0,"name":"ML","status":"active"}""");

        Assert.Equal("page_size=2&current_page=0&name=ML&status=active", PortkeyStub.Query(Portkey.Single("GET", "admin/workspaces")));
        Assert.Equal((2, false), (page.GetProperty("total").GetInt64(), page.GetProperty("has_more").GetBoolean()));
        var (shared, ml) = (page.GetProperty("items")[0], page.GetProperty("items")[1]);
        Assert.True(shared.GetProperty("is_default").GetBoolean());
        Assert.Equal(Slug, ml.GetProperty("slug").GetString());
        var budget = ml.GetProperty("usage_limits")[0];
        Assert.Equal((500, 80), (budget.GetProperty("credit_limit").GetDouble(), budget.GetProperty("alert_threshold_percent").GetDouble()));
        Assert.Equal(100, ml.GetProperty("rate_limits")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Get_workspace_reads_members_from_the_live_get()
    {
        Portkey.Reply("GET", $"admin/workspaces/{Slug}", 200, Get);

        var workspace = await OkAsync("get_workspace", $$"""{"workspace_id":"{{Slug}}"}""");

        Assert.Equal((Id, false), (workspace.GetProperty("id").GetString(), workspace.GetProperty("is_default").GetBoolean()));
        var member = Assert.Single(workspace.GetProperty("members").EnumerateArray());
        Assert.Equal((UserId, "admin"), (member.GetProperty("user_id").GetString(), member.GetProperty("role").GetString()));
        Assert.Equal(0, workspace.GetProperty("usage_limits").GetArrayLength());
    }

    [Fact]
    public async Task Create_workspace_sends_limits_as_portkey_keeps_them_with_the_key_tools_conversion()
    {
        Portkey.Reply("POST", "admin/workspaces", 200, Get);

        var result = await OkAsync("create_workspace",
            $$"""{"name":"ML Team","description":"Models","users":["{{UserId.ToUpperInvariant()}}"],"credit_limit":500,"alert_threshold":80,"periodic_reset":"monthly","rate_limit_rpm":100,"metadata":{"team":"ml"} }""");

        PortkeyStub.AssertJsonEqual($$"""
            {"name":"ML Team","description":"Models","defaults":{"metadata":{"team":"ml"} },"users":["{{UserId}}"],
             "usage_limits":[{"type":"cost","credit_limit":500,"alert_threshold":400,"periodic_reset":"monthly"}],
             "rate_limits":[{"type":"requests","unit":"rpm","value":100}]}
            """, PortkeyStub.Body(Portkey.Single("POST", "admin/workspaces")));
        Assert.Equal($"Workspace created: use workspace_id \"{Id}\".", result.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Update_workspace_reads_then_merges_limits_and_defaults_and_reads_back()
    {
        var current = Get.Replace("\"defaults\":null", "\"defaults\":{\"metadata\":{\"team\":\"ml\"},\"input_guardrails\":[\"pii-check\"]}", StringComparison.Ordinal)
            .Replace("\"usage_limits\":null", "\"usage_limits\":[{\"type\":\"cost\",\"credit_limit\":500,\"alert_threshold\":400,\"periodic_reset\":\"monthly\"}]", StringComparison.Ordinal)
            .Replace("\"rate_limits\":null", "\"rate_limits\":[{\"type\":\"tokens\",\"unit\":\"rpm\",\"value\":9000},{\"type\":\"requests\",\"unit\":\"rpm\",\"value\":100}]", StringComparison.Ordinal);
        Portkey.Reply("GET", $"admin/workspaces/{Id}", 200, current);
        Portkey.Reply("PUT", $"admin/workspaces/{Id}", 200, "{}");

        var result = await OkAsync("update_workspace", $$"""{"workspace_id":"{{Id}}","credit_limit":1000,"rate_limit_rpm":50,"output_guardrails":["toxicity"]}""");

        Assert.Equal(["GET", "PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        // The alert stays 80 % of the new limit, the reset is kept, the tokens limit is kept, and the defaults go whole.
        PortkeyStub.AssertJsonEqual("""
            {"defaults":{"metadata":{"team":"ml"},"input_guardrails":["pii-check"],"output_guardrails":["toxicity"]},
             "usage_limits":[{"type":"cost","credit_limit":1000,"alert_threshold":800,"periodic_reset":"monthly"}],
             "rate_limits":[{"type":"tokens","unit":"rpm","value":9000},{"type":"requests","unit":"rpm","value":50}]}
            """, PortkeyStub.Body(Portkey.Single("PUT", $"admin/workspaces/{Id}")));
        Assert.Equal(["credit_limit", "output_guardrails", "rate_limit_rpm"], result.GetProperty("updated_fields").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(Id, result.GetProperty("workspace").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Update_workspace_with_credit_limit_null_removes_the_budgets_without_reading_first()
    {
        Portkey.Reply("PUT", $"admin/workspaces/{Id}", 200, "{}");
        Portkey.Reply("GET", $"admin/workspaces/{Id}", 200, Get);

        await OkAsync("update_workspace", $$"""{"workspace_id":"{{Id}}","credit_limit":null,"name":"ML"}""");

        Assert.Equal(["PUT", "GET"], Portkey.Requests.Select(r => r.RequestMessage.Method));
        PortkeyStub.AssertJsonEqual("""{"name":"ML","usage_limits":null}""", PortkeyStub.Body(Portkey.Single("PUT", $"admin/workspaces/{Id}")));
    }

    [Fact]
    public async Task Update_workspace_with_several_budgets_needs_to_be_told_which()
    {
        Portkey.Reply("GET", $"admin/workspaces/{Id}", 200, Get.Replace("\"usage_limits\":null",
            "\"usage_limits\":[{\"type\":\"cost\",\"credit_limit\":500},{\"type\":\"tokens\",\"credit_limit\":100000}]", StringComparison.Ordinal));

        var result = await Server.CallAsync("update_workspace", $$"""{"workspace_id":"{{Id}}","alert_threshold":50}""");

        Assert.Equal("Invalid arguments for update_workspace (nothing was sent to Portkey):\n" +
            "- usage_limit_type: the workspace has several usage limits; say which one (cost or tokens) to change", InProcessServer.Text(result));
        Assert.DoesNotContain(Portkey.Requests, r => r.RequestMessage.Method == "PUT");
    }

    [Fact]
    public async Task Delete_workspace_reads_its_plain_name_and_repeats_it_in_the_body()
    {
        Portkey.Reply("GET", $"admin/workspaces/{Slug}", 200, Get.Replace("🚀 ML Team", "ML Team", StringComparison.Ordinal));
        Portkey.Reply("DELETE", $"admin/workspaces/{Slug}", 200);

        var result = await OkAsync("delete_workspace", $$"""{"workspace_id":"{{Slug}}"}""");

        Assert.Equal("name_format=plain", PortkeyStub.Query(Portkey.Single("GET", $"admin/workspaces/{Slug}")));
        PortkeyStub.AssertJsonEqual("""{"name":"ML Team"}""", PortkeyStub.Body(Portkey.Single("DELETE", $"admin/workspaces/{Slug}")));
        Assert.Equal(Slug, result.GetProperty("deleted").GetString());
    }

    [Fact]
    public async Task Delete_workspace_refuses_the_default_workspace_and_explains_a_workspace_that_still_holds_keys()
    {
        Portkey.Reply("GET", "admin/workspaces/shared-team-workspace", 200, Get.Replace("\"is_default\":0", "\"is_default\":1", StringComparison.Ordinal));
        var refused = await Server.CallAsync("delete_workspace", """{"workspace_id":"shared-team-workspace"}""");
        Assert.Equal("Invalid arguments for delete_workspace (nothing was sent to Portkey):\n" +
            "- workspace_id: is the organisation's default workspace, which Portkey does not let anyone delete", InProcessServer.Text(refused));

        Portkey.Reply("GET", $"admin/workspaces/{Slug}", 200, Get);
        Portkey.Reply("DELETE", $"admin/workspaces/{Slug}", 409, """{"success":false,"data":{"message":"Unable to delete. Please ensure that all Virtual Keys are deleted","errorCode":"AB07"}}""");
        var blocked = await Server.CallAsync("delete_workspace", $$"""{"workspace_id":"{{Slug}}"}""");
        Assert.Equal(
            $"Portkey refused delete_workspace (DELETE /admin/workspaces/{Slug}): HTTP 409 AB07 - Unable to delete. Please ensure that all Virtual Keys are deleted\n" +
            "Hint: Portkey will not delete a workspace that still holds resources. Delete or move them first: its API keys (list_api_keys with this " +
            "workspace_id), virtual keys or providers, configs and prompts.", InProcessServer.Text(blocked));
        Assert.Equal(0, Portkey.Count("DELETE", "admin/workspaces/shared-team-workspace"));
    }

    [Fact]
    public async Task A_workspace_call_refused_with_403_says_workspaces_are_an_enterprise_feature()
    {
        Portkey.Reply("GET", "admin/workspaces", 403, """{"success":false,"data":{"message":"You do not have enough permissions","errorCode":"AB03"}}""");

        var result = await Server.CallAsync("list_workspaces", "{}");

        Assert.EndsWith("Hint: Workspaces are a Portkey Enterprise feature: on other plans Portkey answers 403 whatever the key. On Enterprise, " +
            "the key needs the workspaces.* scope (an Admin key for organisation-wide calls), and the record must be visible to it.", InProcessServer.Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_workspace_members_always_sends_a_page_size_and_filters_by_email()
    {
        Portkey.Reply("GET", $"admin/workspaces/{Id}/users", 200, Members);

        var page = await OkAsync("list_workspace_members", $$"""{"workspace_id":"{{Id}}","email":"alice@example.com"}""");

        Assert.Equal("page_size=50&current_page=0&email=alice%40example.com", PortkeyStub.Query(Portkey.Single("GET", $"admin/workspaces/{Id}/users")));
        Assert.Equal((50, false), (page.GetProperty("page_size").GetInt64(), page.GetProperty("has_more").GetBoolean()));
        Assert.Equal("alice@example.com", page.GetProperty("items")[0].GetProperty("email").GetString());
    }

    [Fact]
    public async Task Get_workspace_member_fills_in_the_id_and_reads_ws_roles_as_roles()
    {
        Portkey.Reply("GET", $"admin/workspaces/{Id}/users/{UserId}", 200, Member);

        var member = await OkAsync("get_workspace_member", $$"""{"workspace_id":"{{Id}}","user_id":"{{UserId}}"}""");

        Assert.Equal((UserId, "manager"), (member.GetProperty("user_id").GetString(), member.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Add_update_and_remove_a_member_send_portkeys_shapes_and_read_the_member_back()
    {
        Portkey.Reply("POST", $"admin/workspaces/{Id}/users", 200, "{}");
        Portkey.Reply("PUT", $"admin/workspaces/{Id}/users/{UserId}", 200, "{}");
        Portkey.Reply("DELETE", $"admin/workspaces/{Id}/users/{UserId}", 200, "{}");
        Portkey.Reply("GET", $"admin/workspaces/{Id}/users/{UserId}", 200, Member);

        var added = await OkAsync("add_workspace_member", $$"""{"workspace_id":"{{Id}}","user_id":"{{UserId}}","role":"manager"}""");
        var updated = await OkAsync("update_workspace_member", $$"""{"workspace_id":"{{Id}}","user_id":"{{UserId}}","role":"admin"}""");
        var removed = await OkAsync("remove_workspace_member", $$"""{"workspace_id":"{{Id}}","user_id":"{{UserId}}"}""");

        PortkeyStub.AssertJsonEqual($$"""{"users":[{"id":"{{UserId}}","role":"manager"}]}""", PortkeyStub.Body(Portkey.Single("POST", $"admin/workspaces/{Id}/users")));
        PortkeyStub.AssertJsonEqual("""{"role":"admin"}""", PortkeyStub.Body(Portkey.Single("PUT", $"admin/workspaces/{Id}/users/{UserId}")));
        Assert.True(string.IsNullOrEmpty(Portkey.Single("DELETE", $"admin/workspaces/{Id}/users/{UserId}").RequestMessage.Body));
        Assert.Equal($"Added: user {UserId} is manager in workspace {Id}.", added.GetProperty("message").GetString());
        Assert.Equal("manager", updated.GetProperty("member").GetProperty("role").GetString());
        Assert.Equal($"User {UserId} removed from workspace {Id}; they no longer have access to it.", removed.GetProperty("message").GetString());
        Assert.Equal(["POST", "GET", "PUT", "GET", "DELETE"], Portkey.Requests.Select(r => r.RequestMessage.Method));
    }
}
