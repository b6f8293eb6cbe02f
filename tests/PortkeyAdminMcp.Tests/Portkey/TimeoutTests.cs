using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Portkey;

/// <summary>An upstream that never answers: the call ends within the timeout (plus retries for reads), and a POST is sent once.</summary>
public class TimeoutTests : IAsyncLifetime
{
    private readonly SilentUpstream _upstream = new();
    private InProcessServer _server = null!;

    public async Task InitializeAsync()
    {
        _upstream.Start();
        _server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _upstream.BaseUrl,
            ["PORTKEY_TIMEOUT_SECONDS"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
    }

    [Fact]
    public async Task Post_that_times_out_is_sent_once_and_the_result_says_it_may_have_taken_effect()
    {
        var result = await _server.CallAsync("create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");
        Assert.True(result.IsError);
        Assert.Equal(
            "Portkey did not answer POST /api-keys/organisation/service within 1 s (not retried: a create must never be sent twice; check whether it took effect before repeating it).",
            InProcessServer.Text(result));
        Assert.Equal(["POST /v1/api-keys/organisation/service HTTP/1.1"], _upstream.RequestLines);
    }

    [Fact]
    public async Task Get_that_times_out_is_tried_three_times_then_fails()
    {
        var result = await _server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError);
        Assert.Equal($"Portkey did not answer GET /api-keys/{LiveApiKey.Id} within 1 s on any of 3 attempts.", InProcessServer.Text(result));
        Assert.Equal(3, _upstream.RequestLines.Count);
    }
}
