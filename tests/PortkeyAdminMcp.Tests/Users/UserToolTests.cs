using System.Text.Json;
using PortkeyAdminMcp.Tests.Support;
using static PortkeyAdminMcp.Tests.Fixtures.LiveWorkspace;

namespace PortkeyAdminMcp.Tests.Users;

/// <summary>The user and invite tools against a stand-in Portkey: camelCase paging, slugs for invites, role checks before sending.</summary>
public class UserToolTests : StubbedServerTest
{
    private async Task<JsonElement> OkAsync(string tool, string json)
    {
        var result = await Server.CallAsync(tool, json);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        await Server.AssertMatchesOutputSchemaAsync(tool, result);
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task List_all_users_finds_one_by_email_with_the_user_endpoints_camel_case_paging()
    {
        Portkey.Reply("GET", "admin/users", 200, UserList);

        var page = await OkAsync("list_all_users", """{"email":"alice@example.com","page_size":10,"current_page":0}""");

        Assert.Equal("pageSize=10&currentPage=0&email=alice%40example.com", PortkeyStub.Query(Portkey.Single("GET", "admin/users")));
        var alice = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal((UserId, "member"), (alice.GetProperty("id").GetString(), alice.GetProperty("role").GetString()));
        Assert.Equal(Slug, alice.GetProperty("workspace_ids")[0].GetString());
    }

    [Fact]
    public async Task Get_user_reads_the_user()
    {
        Portkey.Reply("GET", $"admin/users/{UserId}", 200, User);
        var user = await OkAsync("get_user", $$"""{"user_id":"{{UserId}}"}""");
        Assert.Equal("alice@example.com", user.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Update_user_sends_only_the_role_and_refuses_an_unchanged_one_before_sending()
    {
        Portkey.Reply("GET", $"admin/users/{UserId}", 200, User);
        Portkey.Reply("PUT", $"admin/users/{UserId}", 200, "{}");

        var unchanged = await Server.CallAsync("update_user", $$"""{"user_id":"{{UserId}}","role":"member"}""");
        Assert.Equal("Invalid arguments for update_user (nothing was sent to Portkey):\n- role: is already member for this user; nothing to change", InProcessServer.Text(unchanged));
        Assert.Equal(0, Portkey.Count("PUT", $"admin/users/{UserId}"));

        var changed = await OkAsync("update_user", $$"""{"user_id":"{{UserId}}","role":"admin"}""");
        PortkeyStub.AssertJsonEqual("""{"role":"admin"}""", PortkeyStub.Body(Portkey.Single("PUT", $"admin/users/{UserId}")));
        Assert.Equal(UserId, changed.GetProperty("user").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Delete_user_sends_one_delete()
    {
        Portkey.Reply("DELETE", $"admin/users/{UserId}", 200, "{}");
        var deleted = await OkAsync("delete_user", $$"""{"user_id":"{{UserId}}"}""");
        Assert.Equal($"User {UserId} removed from the organisation.", deleted.GetProperty("message").GetString());
        Assert.Single(Portkey.Requests);
    }

    [Fact]
    public async Task Invite_user_sends_workspace_slugs_resolving_a_uuid_and_validates_key_scopes_like_create_api_key()
    {
        Portkey.Reply("GET", $"admin/workspaces/{Id}", 200, Get);
        Portkey.Reply("POST", "admin/users/invites", 200, $$"""{"id":"{{InviteId}}","invite_link":"https://app.portkey.ai/invite/abc"}""");

        var sent = await OkAsync("invite_user",
            $$"""{"email":"bob@example.com","role":"member","workspaces":[{"id":"{{Id.ToUpperInvariant()}}","role":"member"},{"id":"shared-team-workspace","role":"admin"}],"workspace_api_key_details":{"scopes":["completions.write"]} }""");

        PortkeyStub.AssertJsonEqual($$"""
            {"email":"bob@example.com","role":"member","workspaces":[{"id":"{{Slug}}","role":"member"},{"id":"shared-team-workspace","role":"admin"}],
             "workspace_api_key_details":{"scopes":["completions.write"]} }
            """, PortkeyStub.Body(Portkey.Single("POST", "admin/users/invites")));
        Assert.Equal((InviteId, "https://app.portkey.ai/invite/abc"), (sent.GetProperty("invite_id").GetString(), sent.GetProperty("invite_link").GetString()));

        var invalid = await Server.CallAsync("invite_user",
            """{"email":"bob@example.com","role":"owner","workspaces":[{"id":"a","role":"member"},{"id":"a","role":"admin"}],"workspace_api_key_details":{"scopes":["Completions Write"]}}""");
        Assert.Equal("Invalid arguments for invite_user (nothing was sent to Portkey):\n" +
            "- role: must be one of admin, member (got 'owner')\n" +
            "- workspace_api_key_details.scopes[0]: must be a Portkey scope such as completions.write or virtual_keys.read (got 'Completions Write')\n" +
            "- workspaces[1].id: names a workspace already in the list", InProcessServer.Text(invalid));
        Assert.Equal(1, Portkey.Count("POST", "admin/users/invites"));
    }

    [Fact]
    public async Task Invites_are_listed_read_withdrawn_and_resent_at_portkeys_addresses()
    {
        Portkey.Reply("GET", "admin/users/invites", 200, $$"""{"object":"list","total":1,"data":[{{Invite}}]}""");
        Portkey.Reply("GET", $"admin/users/invites/{InviteId}", 200, Invite);
        Portkey.Reply("DELETE", $"admin/users/invites/{InviteId}", 200, "{}");
        Portkey.Reply("POST", $"admin/users/invites/{InviteId}/resend", 200, """{"inviteLink":"https://app.portkey.ai/invite/def"}""");

        var page = await OkAsync("list_user_invites", """{"status":"pending","page_size":5}""");
        var invite = await OkAsync("get_user_invite", $$"""{"invite_id":"{{InviteId}}"}""");
        var resent = await OkAsync("resend_user_invite", $$"""{"invite_id":"{{InviteId}}"}""");
        var withdrawn = await OkAsync("delete_user_invite", $$"""{"invite_id":"{{InviteId}}"}""");

        Assert.Equal("pageSize=5&currentPage=0&status=pending", PortkeyStub.Query(Portkey.Single("GET", "admin/users/invites")));
        Assert.Equal("bob@example.com", page.GetProperty("items")[0].GetProperty("email").GetString());
        Assert.Equal((Slug, "member"), (invite.GetProperty("workspaces")[0].GetProperty("workspace").GetString(), invite.GetProperty("workspaces")[0].GetProperty("role").GetString()));
        Assert.Equal("https://app.portkey.ai/invite/def", resent.GetProperty("invite_link").GetString());
        Assert.True(string.IsNullOrEmpty(Portkey.Single("POST", $"admin/users/invites/{InviteId}/resend").RequestMessage.Body));
        Assert.Equal(InviteId, withdrawn.GetProperty("deleted").GetString());
    }

    [Fact]
    public async Task Listing_users_refused_with_403_says_it_needs_an_admin_key_and_enterprise()
    {
        Portkey.Reply("GET", "admin/users", 403, """{"success":false,"data":{"message":"You do not have enough permissions","errorCode":"AB03"}}""");

        var result = await Server.CallAsync("list_all_users", "{}");

        Assert.EndsWith("Hint: This needs an Admin (organisation) API key with the organisation_users.* scope, and reading users is a Portkey " +
            "Enterprise feature: on other plans Portkey answers 403 whatever the key.", InProcessServer.Text(result), StringComparison.Ordinal);
    }
}
