using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>PORTKEY_MCP_READ_ONLY=true: write tools are hidden from tools/list and refused if called anyway.</summary>
public sealed class ReadOnlyModeTests : IAsyncLifetime
{
    private readonly PortkeyStub _portkey = new();
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync(_portkey, new() { ["PORTKEY_MCP_READ_ONLY"] = "true" });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _portkey.Dispose();
    }

    [Fact]
    public async Task Only_read_only_tools_are_listed()
    {
        var tools = await _server.Client.ListToolsAsync(cancellationToken: Bounded.Token());
        Assert.Equal(Catalog.ListedByDefault.Where(t => t.IsReadOnly).Select(t => t.Name).Order(), tools.Select(t => t.Name).Order());
        Assert.NotEmpty(tools);
    }

    [Fact]
    public async Task A_hidden_write_tool_called_anyway_is_refused_and_nothing_is_sent()
    {
        var result = await _server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError);
        Assert.Equal("[POLICY DENIED] delete_api_key can change Portkey, and this server runs read-only (PORTKEY_MCP_READ_ONLY=true). Nothing was sent.",
            InProcessServer.Text(result));
        Assert.Empty(_portkey.Requests);
    }

    [Fact]
    public async Task Read_only_tools_still_work()
    {
        _portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        var result = await _server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
    }
}
