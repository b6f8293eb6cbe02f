using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortkeyAdminMcp.Approvals;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Approvals;

/// <summary>
/// The approval page as a hostile agent and a hostile local visitor would try it: the token kept from the agent when
/// the server opens the page, every connection and request bounded, approvals capped, a stop mid-send still settled
/// and audited, and nothing on the page drawn differently from what is sent.
/// </summary>
public sealed partial class ApprovalPageHardeningTests : PolicyServerTest
{
    private const string AskForDeletes = """
        version: "1"
        tools:
          delete_api_key:
            rules:
              - {name: deletions need a human, action: require_approval, approval_timeout: 10m}
        """;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 5, TimeSpan.Zero));
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
    private readonly FakeOpener _opener = new();

    public override Task InitializeAsync()
    {
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    private sealed class FakeOpener : IBrowserOpener
    {
        public List<string> Opened { get; } = [];

        public bool Works { get; set; } = true;

        public bool TryOpen(string url)
        {
            Opened.Add(url);
            return Works;
        }
    }

    private Task<InProcessServer> StartAsync(string policy = AskForDeletes, Dictionary<string, string?>? settings = null) =>
        StartAsync(policy, settings: settings, clock: _clock, replace: services => services.AddSingleton<IBrowserOpener>(_opener));

    private static async Task<JsonElement> DeleteAsync(InProcessServer server)
    {
        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        return result.StructuredContent!.Value;
    }

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string url)
    {
        using var response = await _http.GetAsync(url, Bounded.Token());
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Bounded.Token()));
    }

    private async Task<HttpStatusCode> ApproveAsync(string url, string html)
    {
        var origin = new Uri(url).GetLeftPart(UriPartial.Authority);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url).GetLeftPart(UriPartial.Path))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = Hidden().Match(html).Groups[1].Value,
                ["nonce"] = Nonce().Match(html).Groups[1].Value,
                ["decision"] = "approve",
            }),
        };
        request.Headers.Add("Origin", origin);
        using var response = await _http.SendAsync(request, Bounded.Token());
        return response.StatusCode;
    }

    [Fact]
    public async Task When_the_server_opens_the_page_the_agent_never_holds_the_token_and_its_address_cannot_decide()
    {
        var server = await StartAsync(settings: new() { ["PORTKEY_MCP_APPROVAL_OPEN"] = "true" });

        var pending = await DeleteAsync(server);

        var opened = Assert.Single(_opener.Opened);
        var token = Regex.Match(opened, "[?]token=([A-Za-z0-9_-]{22})$").Groups[1].Value;
        Assert.NotEmpty(token);
        var agentsUrl = pending.GetProperty("approval_url").GetString()!;
        Assert.Equal(opened[..opened.IndexOf('?', StringComparison.Ordinal)], agentsUrl);
        Assert.DoesNotContain(token, pending.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("The approval page has opened in the user's browser", pending.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (status, html) = await GetAsync(agentsUrl);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(token, html, StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);

        var (_, page) = await GetAsync(opened);
        Assert.Equal(HttpStatusCode.OK, await ApproveAsync(opened, page));
        Assert.Equal(1, Portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task An_opener_that_cannot_start_refuses_the_call_at_once_sends_nothing_and_gives_the_quota_back()
    {
        _opener.Works = false;
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: one a day, rate_limit: 1/day}
                  - {name: deletions need a human, action: require_approval}
            """, new() { ["PORTKEY_MCP_APPROVAL_OPEN"] = "true" });

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.Equal("[POLICY DENIED] Policy rule \"deletions need a human\" requires a human to approve delete_api_key, and the server could not open the " +
                     "approval page in the user's browser (PORTKEY_MCP_APPROVAL_OPEN=true). Nothing was sent.", InProcessServer.Text(result));
        Assert.Empty(server.Services.GetRequiredService<PendingApprovals>().Waiting);
        var line = Assert.Single(AuditLines(), l => (string?)l["tool"] == "delete_api_key");
        Assert.Equal(("declined", "returned"), ((string?)line["decision"], (string?)line["quota"]));
        // The unit came back: the next call is asked again, not refused by the one-a-day rule.
        Assert.Contains("could not open", InProcessServer.Text(await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""")), StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task A_port_that_cannot_be_had_refuses_the_call_at_once_and_leaves_no_approval_behind()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var server = await StartAsync(settings: new() { ["PORTKEY_MCP_APPROVAL_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.StartsWith($"The approval page could not listen on 127.0.0.1:{port} (AddressAlreadyInUse), so nobody could approve this call. Nothing was sent.",
            InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Empty(server.Services.GetRequiredService<PendingApprovals>().Waiting);
        Assert.Null(server.Services.GetRequiredService<ApprovalPage>().Origin);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task At_most_sixteen_approvals_wait_at_once_the_next_call_is_refused_and_nothing_is_sent()
    {
        var server = await StartAsync();
        for (var i = 0; i < PendingApprovals.MaxWaiting; i++)
        {
            Assert.Equal("approval_required", (await DeleteAsync(server)).GetProperty("status").GetString());
        }

        var refused = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(refused.IsError);
        Assert.Equal("[POLICY DENIED] 16 approvals are already waiting for the user; delete_api_key was not asked and nothing was sent. " +
                     "Let the user decide those first (await_approval).", InProcessServer.Text(refused));
        Assert.Equal(PendingApprovals.MaxWaiting, server.Services.GetRequiredService<PendingApprovals>().Waiting.Count);
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task Await_approval_spends_no_quota_even_under_a_rate_limit_for_every_tool()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              "*":
                rules:
                  - {name: two calls a day, rate_limit: 2/day}
              delete_api_key:
                rules:
                  - {name: deletions need a human, action: require_approval, approval_timeout: 1m}
            """);
        var first = (await DeleteAsync(server)).GetProperty("approval_id").GetString()!;
        _clock.Advance(TimeSpan.FromMinutes(2));

        for (var i = 0; i < 3; i++)
        {
            var awaited = await server.CallAsync("await_approval", $$"""{"approval_id":"{{first}}"}""");
            Assert.Contains("so it expired. Nothing was sent.", InProcessServer.Text(awaited), StringComparison.Ordinal);
        }

        // The expired call gave its unit back and await_approval took none: two more calls fit the two a day.
        Assert.Equal("approval_required", (await DeleteAsync(server)).GetProperty("status").GetString());
        Assert.Equal("approval_required", (await DeleteAsync(server)).GetProperty("status").GetString());
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task A_visitor_that_never_finishes_its_request_is_cut_off_at_the_deadline_and_connections_are_capped()
    {
        var server = await StartAsync();
        var pending = await DeleteAsync(server);
        var url = pending.GetProperty("approval_url").GetString()!;
        var port = new Uri(url).Port;
        var page = server.Services.GetRequiredService<ApprovalPage>();

        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < LoopbackHttpServer.MaxConnections; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, Bounded.Token());
                await client.GetStream().WriteAsync("GET /approvals/"u8.ToArray(), Bounded.Token());
                idle.Add(client);
            }

            await Bounded.UntilAsync(() => page.OpenConnections == LoopbackHttpServer.MaxConnections);
            Assert.Equal(LoopbackHttpServer.MaxConnections, page.OpenConnections);

            // One more is closed at once, not queued.
            using (var extra = new TcpClient())
            {
                await extra.ConnectAsync(IPAddress.Loopback, port, Bounded.Token());
                Assert.Equal(0, await ReadToEndAsync(extra));
            }

            // The deadline passes on the server's clock: every unfinished request is dropped.
            _clock.Advance(LoopbackHttpServer.RequestDeadline + TimeSpan.FromSeconds(1));
            foreach (var client in idle)
            {
                Assert.Equal(0, await ReadToEndAsync(client));
            }

            await Bounded.UntilAsync(() => page.OpenConnections == 0);
            Assert.Equal(0, page.OpenConnections);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(url)).Status);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Bytes read until the server closed the connection (a reset counts as closed).</summary>
    private static async Task<int> ReadToEndAsync(TcpClient client)
    {
        var total = 0;
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await client.GetStream().ReadAsync(buffer, Bounded.Token())) > 0)
            {
                total += read;
            }
        }
        catch (IOException)
        {
            // Reset by the server.
        }

        return total;
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET /approvals/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("POST /approvals/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")]
    [InlineData("POST /approvals/x HTTP/1.1\r\nHost: h\r\nContent-Length: 999999\r\n\r\n")]
    [InlineData("GET http://evil.example/ HTTP/1.1\r\nHost: h\r\n\r\n")]
    public async Task A_request_the_page_cannot_judge_gets_400_and_nothing_else(string raw)
    {
        var server = await StartAsync();
        var port = new Uri((await DeleteAsync(server)).GetProperty("approval_url").GetString()!).Port;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Bounded.Token());

        await client.GetStream().WriteAsync(Encoding.Latin1.GetBytes(raw), Bounded.Token());
        var answer = new StreamReader(client.GetStream(), Encoding.UTF8);

        Assert.Equal("HTTP/1.1 400 Bad Request", await answer.ReadLineAsync(Bounded.Token()));
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task A_head_larger_than_8_KiB_is_refused()
    {
        var server = await StartAsync();
        var port = new Uri((await DeleteAsync(server)).GetProperty("approval_url").GetString()!).Port;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Bounded.Token());

        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX-Padding: " + new string('a', LoopbackHttpServer.MaxHeadBytes)), Bounded.Token());

        Assert.Equal("HTTP/1.1 400 Bad Request", await new StreamReader(client.GetStream()).ReadLineAsync(Bounded.Token()));
    }

    [Fact]
    public async Task Text_that_would_be_drawn_out_of_order_is_shown_as_escapes_on_the_page()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        var server = await StartAsync("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - {name: changes need a human, action: require_approval}
            """);
        var result = await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","name":"ops\u202Etset"}""");
        Assert.True(result.IsError is not true, InProcessServer.Text(result));

        var (_, html) = await GetAsync(result.StructuredContent!.Value.GetProperty("approval_url").GetString()!);

        Assert.Contains("ops\\u202Etset", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', html);
    }

    [Fact]
    public async Task A_stop_while_an_approved_request_is_in_flight_still_settles_its_quota_and_writes_its_audit_line()
    {
        // Portkey holds the DELETE until the test lets it go: the stop comes while it is certainly in flight.
        using var arrived = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}", r => r.WithCallback(_ =>
        {
            arrived.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return new WireMock.ResponseMessage { StatusCode = 200 };
        }));
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: one a day, rate_limit: 1/day}
                  - {name: deletions need a human, action: require_approval}
            """);
        var url = (await DeleteAsync(server)).GetProperty("approval_url").GetString()!;
        var (_, page) = await GetAsync(url);

        var approving = ApproveAsync(url, page);
        try
        {
            Assert.True(arrived.Wait(TimeSpan.FromSeconds(30)), "the approved DELETE never reached Portkey");
            await DisposeServerAsync();
            // The stop waited for the page's answer: the user is told how it ended.
            Assert.Equal(HttpStatusCode.OK, await approving);
        }
        finally
        {
            release.Set();
        }

        var line = Assert.Single(AuditLines(), l => (string?)l["tool"] == "delete_api_key");
        // Approved, then cut short by the stop; the DELETE reached Portkey and may have happened: its unit stays spent.
        Assert.Equal(("cancelled", "browser", "kept"), ((string?)line["decision"], (string?)line["approval_channel"], (string?)line["quota"]));
    }

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex Hidden();

    [GeneratedRegex("name=\"nonce\" value=\"([^\"]+)\"")]
    private static partial Regex Nonce();
}
