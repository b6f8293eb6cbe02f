using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Approvals;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Approvals;

/// <summary>
/// Approval where the client cannot show a dialog: the write answers at once with a link to a local page, only an
/// Approve on that page (with the URL's token, the page's nonce, this server's Host and Origin) sends the exact request,
/// once, and await_approval returns the real result. Decline, expiry and exit send nothing and give the quota back.
/// </summary>
public sealed partial class ApprovalPageTests : PolicyServerTest
{
    private const string Policy = """
        version: "1"
        tools:
          delete_api_key:
            rules:
              - {name: one a day, rate_limit: 1/day}
              - {name: deletions need a human, action: require_approval, approval_timeout: 10m}
        """;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 5, TimeSpan.Zero));
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

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

    private Task<InProcessServer> StartAsync(string policy = Policy, Dictionary<string, string?>? settings = null) =>
        StartAsync(policy, settings: settings, clock: _clock);

    private sealed record Pending(string Id, string Url, string Origin, JsonElement Result);

    private static async Task<Pending> DeleteAsync(InProcessServer server)
    {
        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        var structured = result.StructuredContent!.Value;
        Assert.Equal("approval_required", structured.GetProperty("status").GetString());
        var url = structured.GetProperty("approval_url").GetString()!;
        return new Pending(structured.GetProperty("approval_id").GetString()!, url, new Uri(url).GetLeftPart(UriPartial.Authority), structured);
    }

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string url, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await _http.SendAsync(request, Bounded.Token());
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Bounded.Token()));
    }

    private static (string Token, string Nonce) Form(string html) =>
        (Hidden().Match(html).Groups[1].Value, Nonce().Match(html).Groups[1].Value);

    private async Task<HttpStatusCode> PostAsync(Pending pending, string decision, string? token, string? nonce, string? origin, string? site = "same-origin")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{pending.Origin}/approvals/{pending.Id}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token ?? "", ["nonce"] = nonce ?? "", ["decision"] = decision }),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }

        using var response = await _http.SendAsync(request, Bounded.Token());
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> DecideAsync(Pending pending, string decision)
    {
        var (_, html) = await GetAsync(pending.Url);
        var (token, nonce) = Form(html);
        return await PostAsync(pending, decision, token, nonce, pending.Origin);
    }

    [Fact]
    public async Task A_client_without_a_dialog_gets_a_link_and_only_an_approve_on_the_page_sends_the_request_once()
    {
        var server = await StartAsync();

        var pending = await DeleteAsync(server);

        Assert.Empty(Portkey.Requests);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/approvals/[A-Za-z0-9_-]{22}\?token=[A-Za-z0-9_-]{22}$", pending.Url);
        Assert.Equal("deletions need a human", pending.Result.GetProperty("rule").GetString());
        Assert.Equal($"{Portkey.BaseUrl}/api-keys/{LiveApiKey.Id}", pending.Result.GetProperty("request").GetProperty("url").GetString());
        Assert.Equal("2026-12-02T12:10:05Z", pending.Result.GetProperty("expires_at").GetString());
        Assert.Contains("call await_approval", pending.Result.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (status, html) = await GetAsync(pending.Url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<b>deletions need a human</b>", html, StringComparison.Ordinal);
        Assert.Contains($"DELETE {Portkey.BaseUrl}/api-keys/{LiveApiKey.Id}", html, StringComparison.Ordinal);
        Assert.Contains("2026-12-02 12:10:05 UTC", html, StringComparison.Ordinal);
        Assert.Empty(Portkey.Requests);

        Assert.Equal(HttpStatusCode.OK, await DecideAsync(pending, "approve"));
        Assert.Equal(1, Portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));

        var awaited = await server.CallAsync("await_approval", $$"""{"approval_id":"{{pending.Id}}"}""");
        var structured = awaited.StructuredContent!.Value;
        Assert.Equal("approved", structured.GetProperty("status").GetString());
        Assert.Equal(LiveApiKey.Id, structured.GetProperty("result").GetProperty("deleted").GetString());
        // The same decision again does nothing: the request went once.
        Assert.Equal(HttpStatusCode.Forbidden, await DecideAsync(pending, "approve"));
        Assert.Equal(1, Portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));

        var line = AuditLines().Single(l => (string?)l["tool"] == "delete_api_key");
        Assert.Equal(("approved", "browser", "kept", 200), ((string?)line["decision"], (string?)line["approval_channel"], (string?)line["quota"], (int?)line["upstream_status"]));
    }

    [Fact]
    public async Task A_decline_sends_nothing_gives_the_quota_back_and_await_approval_says_so()
    {
        var server = await StartAsync();
        var pending = await DeleteAsync(server);

        Assert.Equal(HttpStatusCode.OK, await DecideAsync(pending, "decline"));
        var awaited = await server.CallAsync("await_approval", $$"""{"approval_id":"{{pending.Id}}"}""");

        Assert.True(awaited.IsError);
        Assert.Equal("[POLICY DENIED] Policy rule \"deletions need a human\" required approval for delete_api_key; the user declined on the approval page. Nothing was sent.",
            InProcessServer.Text(awaited));
        Assert.Empty(Portkey.Requests);
        var line = AuditLines().Single(l => (string?)l["tool"] == "delete_api_key");
        Assert.Equal(("declined", "browser", "returned"), ((string?)line["decision"], (string?)line["approval_channel"], (string?)line["quota"]));
        // The unit came back: the next delete asks again instead of being refused by the one-a-day rule.
        Assert.Equal("approval_required", (await DeleteAsync(server)).Result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_approval_nobody_decides_expires_on_the_servers_clock_and_sends_nothing()
    {
        var server = await StartAsync();
        var pending = await DeleteAsync(server);

        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var awaited = await server.CallAsync("await_approval", $$"""{"approval_id":"{{pending.Id}}"}""");

        Assert.True(awaited.IsError);
        Assert.Contains("nobody approved it before 2026-12-02 12:10:05 UTC, so it expired. Nothing was sent.", InProcessServer.Text(awaited), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(pending.Url)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(pending, "approve", Form((await GetAsync(pending.Url)).Html).Token, "x", pending.Origin));
        Assert.Empty(Portkey.Requests);
        Assert.Equal("returned", (string?)AuditLines().Single(l => (string?)l["tool"] == "delete_api_key")["quota"]);
    }

    [Fact]
    public async Task Await_approval_waits_at_most_45_seconds_with_progress_then_says_still_waiting()
    {
        var server = await StartAsync();
        var pending = await DeleteAsync(server);
        var progress = new List<ProgressNotificationValue>();

        var waiting = server.Client.CallToolAsync("await_approval", new Dictionary<string, object?> { ["approval_id"] = pending.Id },
            new Progress(progress), cancellationToken: Bounded.Token()).AsTask();
        for (var i = 0; i < 9 && !waiting.IsCompleted; i++)
        {
            await Bounded.UntilAsync(() => progress.Count > i || waiting.IsCompleted);
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        var result = await waiting;
        Assert.Equal("waiting", result.StructuredContent!.Value.GetProperty("status").GetString());
        Assert.InRange(progress.Count, 8, 9);
        Assert.Empty(Portkey.Requests);
    }

    private sealed class Progress(List<ProgressNotificationValue> seen) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }

    [Fact]
    public async Task Without_the_token_a_nonce_the_own_host_and_the_own_origin_nothing_can_decide()
    {
        var server = await StartAsync();
        var pending = await DeleteAsync(server);
        var (_, html) = await GetAsync(pending.Url);
        var (token, nonce) = Form(html);

        // The agent has the id, not the token.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"{pending.Origin}/approvals/{pending.Id}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(pending, "approve", null, nonce, pending.Origin));
        // A form on another site, or no Origin at all (a script that is not this page).
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(pending, "approve", token, nonce, "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(pending, "approve", token, nonce, origin: null));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(pending, "approve", token, nonce, pending.Origin, site: "cross-site"));
        // DNS rebinding: the right address under another name. The listener itself turns the name away
        // (404 here, 400 on Windows); the page's own 421 check is the second line behind it.
        var (rebound, reboundBody) = await GetAsync(pending.Url, host: "evil.example");
        Assert.Contains(rebound, new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.MisdirectedRequest });
        Assert.DoesNotContain(token, reboundBody, StringComparison.Ordinal);
        // A nonce the page never handed out.
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(pending, "approve", token, "made-up-nonce", pending.Origin));
        Assert.Empty(Portkey.Requests);

        // With all of them, it works, once; the spent nonce cannot be used again.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(pending, "approve", token, nonce, pending.Origin));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(pending, "approve", token, nonce, pending.Origin));
        Assert.Equal(1, Portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task An_approval_survives_nothing_the_servers_exit_refuses_it_and_gives_the_quota_back()
    {
        var server = await StartAsync();
        await DeleteAsync(server);

        await DisposeServerAsync();

        Assert.Empty(Portkey.Requests);
        var line = AuditLines().Single(l => (string?)l["tool"] == "delete_api_key");
        Assert.Equal(("declined", "returned"), ((string?)line["decision"], (string?)line["quota"]));
        Assert.Contains("the server stopped before anyone approved it", (string?)line["quota_reason"], StringComparison.Ordinal);
    }

    /// <summary>
    /// One policy, both channels: the rules pick the same calls to deny, to ask about and to let through; only how the
    /// human is asked differs. A condition that cannot be evaluated (no credit_limit) asks, in both.
    /// </summary>
    [Theory]
    [InlineData("elicitation")]
    [InlineData("browser")]
    public async Task The_same_policy_decides_the_same_whichever_channel_asks(string channel)
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        var asked = 0;
        var server = await StartAsync("""
            version: "1"
            tools:
              update_api_key:
                rules:
                  - {name: no root keys, conditions: [{path: args.name, op: neq, value: root-ops}]}
                  - {name: big limits need a human, action: require_approval, conditions: [{path: args.credit_limit, op: gt, value: 100}]}
            """, (_, _) =>
        {
            asked++;
            return ValueTask.FromResult(new ElicitResult { Action = "accept" });
        }, settings: new() { ["PORTKEY_MCP_APPROVAL"] = channel }, clock: _clock);

        var decisions = new List<string>();
        foreach (var arguments in new[] { "\"name\":\"ops\",\"credit_limit\":50", "\"name\":\"ops\",\"credit_limit\":500", "\"name\":\"root-ops\",\"credit_limit\":500", "\"name\":\"ops\"" })
        {
            var before = asked;
            var result = await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}",{{arguments}}}""");
            decisions.Add(
                InProcessServer.Text(result).StartsWith("[POLICY DENIED] ", StringComparison.Ordinal) ? "denied"
                : asked > before || result.StructuredContent?.TryGetProperty("status", out var status) == true && status.GetString() == "approval_required" ? "asked"
                : result.IsError == true ? "failed: " + InProcessServer.Text(result)
                : "sent");
        }

        Assert.Equal(["sent", "asked", "denied", "asked"], decisions);
    }

    [Fact]
    public async Task Browser_mode_uses_the_page_even_for_a_client_that_can_ask()
    {
        var asked = 0;
        var server = await StartAsync(Policy, (_, _) =>
        {
            asked++;
            return ValueTask.FromResult(new ElicitResult { Action = "accept" });
        }, settings: new() { ["PORTKEY_MCP_APPROVAL"] = "browser" }, clock: _clock);

        var pending = await DeleteAsync(server);

        Assert.Equal(0, asked);
        Assert.NotEmpty(pending.Id);
    }

    [Fact]
    public async Task Await_approval_is_offered_only_where_a_rule_can_ask_on_the_page_and_the_page_starts_only_when_needed()
    {
        var plain = await StartAsync("""
            version: "1"
            tools: {}
            """);
        Assert.DoesNotContain("await_approval", (await plain.Client.ListToolsAsync(cancellationToken: Bounded.Token())).Select(t => t.Name));
        var refused = await plain.CallAsync("await_approval", """{"approval_id":"AAAAAAAAAAAAAAAAAAAAAA"}""");
        Assert.Equal("[POLICY DENIED] Tool \"await_approval\" is not offered in this configuration. Nothing was sent.", InProcessServer.Text(refused));
        Assert.Null(plain.Services.GetRequiredService<ApprovalPage>().Origin);
        await DisposeServerAsync();

        var elicitationOnly = await StartAsync(Policy, new() { ["PORTKEY_MCP_APPROVAL"] = "elicitation" });
        Assert.DoesNotContain("await_approval", (await elicitationOnly.Client.ListToolsAsync(cancellationToken: Bounded.Token())).Select(t => t.Name));
        await DisposeServerAsync();

        var paged = await StartAsync();
        var tools = (await paged.Client.ListToolsAsync(cancellationToken: Bounded.Token())).ToDictionary(t => t.Name);
        Assert.True(tools["await_approval"].ProtocolTool.Annotations!.ReadOnlyHint);
        Assert.Null(paged.Services.GetRequiredService<ApprovalPage>().Origin);
        await DeleteAsync(paged);
        Assert.NotNull(paged.Services.GetRequiredService<ApprovalPage>().Origin);
    }

    [Theory]
    [InlineData("PORTKEY_MCP_APPROVAL", "popup", "PORTKEY_MCP_APPROVAL must be auto, elicitation or browser (got 'popup')")]
    [InlineData("PORTKEY_MCP_APPROVAL_PORT", "80", "PORTKEY_MCP_APPROVAL_PORT must be a port from 1024 to 65535 (got '80')")]
    [InlineData("PORTKEY_MCP_APPROVAL_OPEN", "sometimes", "PORTKEY_MCP_APPROVAL_OPEN must be true or false (got 'sometimes')")]
    public void Approval_settings_are_checked_at_start_up(string variable, string value, string problem)
    {
        var options = new ApprovalOptions
        {
            ChannelSetting = variable == ApprovalOptions.ChannelVariable ? value : null,
            PortSetting = variable == ApprovalOptions.PortVariable ? value : null,
            OpenSetting = variable == ApprovalOptions.OpenVariable ? value : null,
        };

        Assert.Equal(problem, Assert.Single(new ApprovalOptionsValidator().Validate(null, options).Failures!));
    }

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex Hidden();

    [GeneratedRegex("name=\"nonce\" value=\"([^\"]+)\"")]
    private static partial Regex Nonce();
}
