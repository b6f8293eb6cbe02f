using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Hardening;

/// <summary>Faults that are not HTTP answers: resets, truncation, nobody listening, cancellation, a crowd of calls.</summary>
public class UpstreamFaultTests
{
    private static readonly string s_get = $$"""{"id":"{{LiveApiKey.Id}}"}""";
    private const string Create = """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""";

    private static Task<InProcessServer> StartAsync(string baseUrl, string timeout = "2") => InProcessServer.StartAsync(new Dictionary<string, string?>
    {
        ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
        ["PORTKEY_BASE_URL"] = baseUrl,
        ["PORTKEY_TIMEOUT_SECONDS"] = timeout,
    });

    [Fact]
    public async Task A_reset_connection_is_retried_for_reads_and_reported_once_for_creates()
    {
        using var upstream = new SilentUpstream(SilentUpstream.Behaviour.Reset);
        upstream.Start();
        await using var server = await StartAsync(upstream.BaseUrl);

        var read = await server.CallAsync("get_api_key", s_get);
        Assert.True(read.IsError);
        Assert.StartsWith($"Could not reach Portkey for GET /api-keys/{LiveApiKey.Id}:", InProcessServer.Text(read), StringComparison.Ordinal);
        // Three attempts by the retry pipeline; SocketsHttpHandler may itself re-send a request whose pooled
        // connection died before any answer, so the count is bounded rather than exact.
        Assert.InRange(upstream.RequestLines.Count, 3, 12);

        var create = await server.CallAsync("create_api_key", Create);
        Assert.True(create.IsError);
        Assert.Contains("A create is never retried automatically", InProcessServer.Text(create), StringComparison.Ordinal);
        Assert.Equal(1, upstream.RequestLines.Count(l => l.StartsWith("POST", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_truncated_body_is_an_error_and_a_post_is_not_repeated()
    {
        using var upstream = new SilentUpstream(SilentUpstream.Behaviour.Truncated);
        upstream.Start();
        await using var server = await StartAsync(upstream.BaseUrl);

        var create = await server.CallAsync("create_api_key", Create);

        Assert.True(create.IsError);
        Assert.Equal("Portkey's answer to POST /api-keys/organisation/service broke off before it was complete (HTTP 200). It may have taken effect: check before repeating it.", InProcessServer.Text(create));
        Assert.Single(upstream.RequestLines);
    }

    [Fact]
    public async Task Nobody_listening_is_an_error_within_the_retry_budget()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var server = await StartAsync($"http://127.0.0.1:{port}/v1");

        var result = await server.CallAsync("get_api_key", s_get);

        Assert.True(result.IsError);
        Assert.Equal($"Could not reach Portkey for GET /api-keys/{LiveApiKey.Id}: the connection was refused or reset.", InProcessServer.Text(result));
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_honoured()
    {
        using var portkey = new PortkeyStub();
        portkey.ReplySequence("GET", $"api-keys/{LiveApiKey.Id}", (429, """{"message":"slow down"}"""), (200, LiveApiKey.Json));
        // WireMock cannot vary headers per scenario step, so the date form is checked where it is parsed.
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(3));
        var wait = PortkeyAdminMcp.Portkey.RetryAfterHeader.Read(response.Headers, DateTimeOffset.UtcNow)!.Value;
        Assert.InRange(wait.TotalSeconds, 1, 3.5);

        await using var server = await InProcessServer.StartAsync(portkey);
        var result = await server.CallAsync("get_api_key", s_get);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal(2, portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task Cancelling_a_call_aborts_its_http_request_and_the_server_keeps_serving()
    {
        using var upstream = new SilentUpstream();
        upstream.Start();
        await using var server = await StartAsync(upstream.BaseUrl, timeout: "30");

        await CancellationCheck.AssertCancellingClosesTheRequestAsync(server.Client, upstream, "get_api_key", s_get);

        Assert.Equal(Catalog.ListedByDefault.Count, (await server.Client.ListToolsAsync(cancellationToken: Bounded.Token())).Count);
    }

    [Fact]
    public async Task A_hundred_concurrent_calls_all_get_their_own_answer()
    {
        using var portkey = new PortkeyStub();
        portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        await using var server = await InProcessServer.StartAsync(portkey);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => i % 2 == 0
            ? server.CallAsync("get_api_key", s_get)
            : server.CallAsync("get_api_key", """{"id":"not-a-uuid"}""")));

        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal("gira-app", r.StructuredContent!.Value.GetProperty("name").GetString()));
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.True(r.IsError));
        Assert.Equal(50, portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }
}
