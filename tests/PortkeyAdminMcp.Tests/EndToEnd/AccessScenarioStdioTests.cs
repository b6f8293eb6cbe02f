using System.Collections.Concurrent;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Support;
using static PortkeyAdminMcp.Tests.Fixtures.LiveWorkspace;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>
/// "Give Alice a key for the ML workspace", as an agent does it through the built executable over stdio: find the user
/// by email and the workspace by name, make her a member, create her user key with the ids found, and take it back.
/// </summary>
public sealed class AccessScenarioStdioTests : IAsyncLifetime
{
    private readonly PortkeyStub _portkey = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly List<McpClient> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _portkey.Dispose();
    }

    private async Task<McpClient> ConnectAsync(string? toolsets = null)
    {
        var environment = new Dictionary<string, string?> { ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey, ["PORTKEY_BASE_URL"] = _portkey.BaseUrl };
        if (toolsets is not null)
        {
            environment["PORTKEY_MCP_TOOLSETS"] = toolsets;
        }

        var client = await ServerExecutable.ConnectAsync(environment, _stderr.Enqueue);
        _clients.Add(client);
        return client;
    }

    private static async Task<System.Text.Json.JsonElement> OkAsync(McpClient client, string tool, string json)
    {
        var result = await client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token());
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task Find_a_user_by_email_add_them_to_a_workspace_create_their_user_key_and_remove_them()
    {
        const string keyId = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
        _portkey.Reply("GET", "admin/users", 200, UserList);
        _portkey.Reply("GET", "admin/workspaces", 200, List);
        _portkey.Reply("POST", $"admin/workspaces/{Id}/users", 200, "{}");
        _portkey.Reply("GET", $"admin/workspaces/{Id}/users/{UserId}", 200, Member.Replace("ws-manager", "ws-member", StringComparison.Ordinal));
        _portkey.Reply("POST", "api-keys/workspace/user", 200, $$"""{"id":"{{keyId}}","key":"pk-live-AliceUserKey0042","object":"api-key"}""");
        _portkey.Reply("DELETE", $"admin/workspaces/{Id}/users/{UserId}", 200, "{}");
        var client = await ConnectAsync();

        var user = (await OkAsync(client, "list_all_users", """{"email":"alice@example.com"}""")).GetProperty("items")[0].GetProperty("id").GetString();
        var workspace = (await OkAsync(client, "list_workspaces", """{"name":"ML"}""")).GetProperty("items")[1].GetProperty("id").GetString();
        var member = await OkAsync(client, "add_workspace_member", $$"""{"workspace_id":"{{workspace}}","user_id":"{{user}}","role":"member"}""");
        var key = await OkAsync(client, "create_api_key",
            $$"""{"name":"alice-ml","type":"workspace","sub_type":"user","workspace_id":"{{workspace}}","user_id":"{{user}}","scopes":["completions.write"]}""");
        var removed = await OkAsync(client, "remove_workspace_member", $$"""{"workspace_id":"{{workspace}}","user_id":"{{user}}"}""");

        Assert.Equal((UserId, Id), (user, workspace));
        Assert.Equal("member", member.GetProperty("member").GetProperty("role").GetString());
        Assert.Equal(keyId, key.GetProperty("id").GetString());
        Assert.Equal(UserId, removed.GetProperty("deleted").GetString());
        Assert.Equal(
            ["GET /v1/admin/users", "GET /v1/admin/workspaces", $"POST /v1/admin/workspaces/{Id}/users", $"GET /v1/admin/workspaces/{Id}/users/{UserId}",
             "POST /v1/api-keys/workspace/user", $"DELETE /v1/admin/workspaces/{Id}/users/{UserId}"],
            _portkey.Requests.OrderBy(r => r.RequestMessage.DateTime).Select(r => $"{r.RequestMessage.Method} {r.RequestMessage.Path}"));
        Assert.Equal("email=alice%40example.com", PortkeyStub.Query(_portkey.Single("GET", "admin/users")));
        PortkeyStub.AssertJsonEqual($$"""{"users":[{"id":"{{UserId}}","role":"member"}]}""", PortkeyStub.Body(_portkey.Single("POST", $"admin/workspaces/{Id}/users")));
        PortkeyStub.AssertJsonEqual($$"""{"name":"alice-ml","workspace_id":"{{Id}}","user_id":"{{UserId}}","scopes":["completions.write"]}""",
            PortkeyStub.Body(_portkey.Single("POST", "api-keys/workspace/user")));
    }

    [Fact]
    public async Task With_only_the_keys_toolset_the_others_are_neither_listed_nor_callable()
    {
        var client = await ConnectAsync(toolsets: "keys");

        var tools = await client.ListToolsAsync(cancellationToken: Bounded.Token());
        var result = await client.CallToolAsync("list_all_users", InProcessServer.Arguments("{}"), cancellationToken: Bounded.Token());

        Assert.Equal(Catalog.Tools.All.Where(t => t.Toolset == "keys").Select(t => t.Name).Order(), tools.Select(t => t.Name).Order());
        Assert.True(result.IsError);
        Assert.Equal("[POLICY DENIED] Tool \"list_all_users\" is in the users toolset, which this server does not offer (PORTKEY_MCP_TOOLSETS enables keys). Nothing was sent.",
            InProcessServer.Text(result));
        Assert.Empty(_portkey.Requests);
    }
}
