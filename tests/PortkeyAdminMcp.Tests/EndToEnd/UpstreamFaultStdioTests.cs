using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>
/// Upstream faults met by the built executable over stdio: every one ends in a clear isError result within the
/// time limit plus the retry budget, reads are retried a bounded number of times, and a create is sent once.
/// </summary>
public sealed class UpstreamFaultStdioTests : IAsyncLifetime
{
    private const string Create = """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""";

    private readonly PortkeyStub _portkey = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private McpClient _client = null!;

    public async Task InitializeAsync() => _client = await ConnectAsync(_portkey.BaseUrl);

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _portkey.Dispose();
    }

    // A 2 s time limit: short enough for the slow-answer tests, long enough that a loaded 2-core CI machine answering
    // the stub late is not mistaken for a timeout.
    private Task<McpClient> ConnectAsync(string baseUrl) => ServerExecutable.ConnectAsync(new Dictionary<string, string?>
    {
        ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
        ["PORTKEY_BASE_URL"] = baseUrl,
        ["PORTKEY_TIMEOUT_SECONDS"] = "2",
    }, _stderr.Enqueue);

    /// <summary>
    /// Bounded like every test wait; how long the server itself waits is asserted by what it reports (the time limit
    /// and the attempts) and by the number of requests that reached the stub, not by a stopwatch.
    /// </summary>
    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, string json) =>
        await client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token());

    private static string Id(int n) => $"0000000{n}-bd81-4e58-8c82-4858930ede0b";

    private static string Get(int n) => $$"""{"id":"{{Id(n)}}"}""";

    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 502)]
    [InlineData(3, 503)]
    [InlineData(4, 504)]
    public async Task A_server_error_on_a_read_is_retried_three_times_then_reported(int n, int status)
    {
        _portkey.Reply("GET", $"api-keys/{Id(n)}", status, """{"message":"upstream trouble"}""");

        var result = await CallAsync(_client, "get_api_key", Get(n));

        Assert.True(result.IsError);
        Assert.StartsWith($"Portkey refused get_api_key (GET /api-keys/{Id(n)}): HTTP {status}", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal(3, _portkey.Count("GET", $"api-keys/{Id(n)}"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_create_that_fails_upstream_is_sent_exactly_once(int status)
    {
        _portkey.Reply("POST", "api-keys/organisation/service", status, """{"message":"no"}""", r => r.WithHeader("Retry-After", "1"));

        var result = await CallAsync(_client, "create_api_key", Create);

        Assert.True(result.IsError);
        Assert.StartsWith($"Portkey refused create_api_key (POST /api-keys/organisation/service): HTTP {status}", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal(1, _portkey.Count("POST", "api-keys/organisation/service"));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public async Task Too_many_requests_waits_as_long_as_retry_after_says_in_seconds_or_as_a_date(int n, bool asDate)
    {
        var path = $"/v1/api-keys/{Id(n)}";
        var retryAfter = asDate
            ? DateTimeOffset.UtcNow.AddSeconds(3).ToString("r", CultureInfo.InvariantCulture)
            : "2";
        _portkey.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(path).WillSetStateTo("retried")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", retryAfter).WithBody("""{"message":"slow down"}"""));
        _portkey.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario(path).WhenStateIs("retried")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Fixtures.LiveApiKey.Json));

        var result = await CallAsync(_client, "get_api_key", Get(n));

        Assert.NotEqual(true, result.IsError);
        var times = _portkey.Requests.Where(r => r.RequestMessage.Path == path).Select(r => r.RequestMessage.DateTime).Order().ToList();
        Assert.Equal(2, times.Count);
        // The second attempt came no sooner than Portkey asked (an HTTP date has whole seconds, so at least 1 s).
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(asDate ? 1 : 1.9), $"retried after {times[1] - times[0]}");
    }

    [Fact]
    public async Task A_read_slower_than_the_time_limit_ends_within_the_retry_budget()
    {
        _portkey.Reply("GET", $"api-keys/{Id(7)}", 200, Fixtures.LiveApiKey.Json, r => r.WithDelay(TimeSpan.FromSeconds(5)));

        var result = await CallAsync(_client, "get_api_key", Get(7));

        Assert.Equal($"Portkey did not answer GET /api-keys/{Id(7)} within 2 s on any of 3 attempts.", InProcessServer.Text(result));
    }

    [Fact]
    public async Task A_create_slower_than_the_time_limit_is_not_repeated()
    {
        _portkey.Reply("POST", "api-keys/organisation/service", 200, "{}", r => r.WithDelay(TimeSpan.FromSeconds(6)));

        var result = await CallAsync(_client, "create_api_key", Create);

        Assert.Equal(
            "Portkey did not answer POST /api-keys/organisation/service within 2 s (not retried: a create must never be sent twice; check whether it took effect before repeating it).",
            InProcessServer.Text(result));
        // WireMock logs a request once it has answered it; wait (bounded) for the delayed one to be logged.
        await Bounded.UntilAsync(() => _portkey.Count("POST", "api-keys/organisation/service") > 0);

        Assert.Equal(1, _portkey.Count("POST", "api-keys/organisation/service"));
    }

    [Theory]
    [InlineData("{\"id\": ", "truncated JSON")]
    [InlineData("<html>oops</html>", "HTML")]
    [InlineData("[1,2,3]", "a JSON array")]
    public async Task Malformed_json_is_an_error_that_names_the_request(string body, string what)
    {
        var path = $"api-keys/{Id(8)}";
        _portkey.Reply("GET", path, 200, body);

        var result = await CallAsync(_client, "get_api_key", Get(8));

        Assert.True(result.IsError, what);
        Assert.Contains($"GET /{path}", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal(1, _portkey.Count("GET", path));
    }

    [Theory]
    [InlineData(SilentUpstream.Behaviour.Reset)]
    [InlineData(SilentUpstream.Behaviour.Truncated)]
    public async Task A_broken_connection_fails_a_create_once_and_a_read_a_bounded_number_of_times(SilentUpstream.Behaviour behaviour)
    {
        using var upstream = new SilentUpstream(behaviour);
        upstream.Start();
        await using var client = await ConnectAsync(upstream.BaseUrl);

        var create = await CallAsync(client, "create_api_key", Create);
        var read = await CallAsync(client, "get_api_key", Get(9));

        Assert.True(create.IsError);
        Assert.True(read.IsError);
        Assert.Equal(1, upstream.RequestLines.Count(l => l.StartsWith("POST", StringComparison.Ordinal)));
        Assert.InRange(upstream.RequestLines.Count(l => l.StartsWith("GET", StringComparison.Ordinal)), 1, 12);
    }

    [Fact]
    public async Task An_unreachable_host_is_an_error_within_the_retry_budget()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var client = await ConnectAsync($"http://127.0.0.1:{port}/v1");

        var result = await CallAsync(client, "get_api_key", Get(9));
        var create = await CallAsync(client, "create_api_key", Create);

        Assert.Equal($"Could not reach Portkey for GET /api-keys/{Id(9)}: the connection was refused or reset.", InProcessServer.Text(result));
        Assert.StartsWith("Could not reach Portkey for POST /api-keys/organisation/service", InProcessServer.Text(create), StringComparison.Ordinal);
        Assert.Equal(Catalog.ListedByDefault.Count, (await client.ListToolsAsync(cancellationToken: Bounded.Token())).Count);
    }

    [Fact]
    public async Task A_cancelled_call_closes_its_http_request_and_the_next_call_is_served()
    {
        using var upstream = new SilentUpstream();
        upstream.Start();
        await using var client = await ConnectAsync(upstream.BaseUrl);

        await CancellationCheck.AssertCancellingClosesTheRequestAsync(client, upstream, "get_api_key", Get(9));

        var invalid = await CallAsync(client, "get_api_key", """{"id":"not-a-uuid"}""");
        Assert.Equal("Invalid arguments for get_api_key (nothing was sent to Portkey):\n- id: must be a UUID like 123e4567-e89b-12d3-a456-426614174000 (got 'not-a-uuid')", InProcessServer.Text(invalid));
    }
}
