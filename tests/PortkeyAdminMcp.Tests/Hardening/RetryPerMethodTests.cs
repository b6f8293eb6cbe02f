using System.Globalization;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Hardening;

/// <summary>
/// What a retry may do, per method, and that the agent's answer stays true: GET and PUT are repeated, POST never,
/// and a DELETE repeated after an attempt that may have gone through reads its 404 as "gone". The per-attempt time
/// limit covers the body too.
/// </summary>
public sealed class RetryPerMethodTests : PolicyServerTest
{
    private const string NoPolicy = """
        version: "1"
        tools:
          "*":
            rules:
              - {name: plenty, rate_limit: 100/hour}
        """;

    private Task<InProcessServer> StartAsync(string? baseUrl = null, string timeout = "1") =>
        StartAsync(NoPolicy, settings: new() { ["PORTKEY_BASE_URL"] = baseUrl ?? Portkey.BaseUrl, ["PORTKEY_TIMEOUT_SECONDS"] = timeout });

    [Fact]
    public async Task A_put_answered_503_is_sent_again_and_its_success_reported()
    {
        Portkey.ReplySequence("PUT", $"api-keys/{LiveApiKey.Id}", (503, """{"message":"unavailable"}"""), (200, "{}"));
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        var server = await StartAsync();

        var result = await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","name":"renamed"}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal(2, Portkey.Count("PUT", $"api-keys/{LiveApiKey.Id}"));
        Assert.All(Portkey.Requests.Where(r => r.RequestMessage.Method == "PUT"),
            r => PortkeyStub.AssertJsonEqual("""{"name":"renamed"}""", PortkeyStub.Body(r)));
    }

    [Fact]
    public async Task A_delete_whose_first_attempt_timed_out_and_whose_retry_finds_404_is_reported_deleted()
    {
        // The first attempt is committed upstream but answered too late; the retry finds the key gone.
        Portkey.ReplySequence("DELETE", $"api-keys/{LiveApiKey.Id}",
            (200, "{}", r => r.WithDelay(TimeSpan.FromMilliseconds(1500))),
            (404, """{"message":"api key not found"}""", null));
        var server = await StartAsync();

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal($"API key {LiveApiKey.Id} deleted; it no longer authenticates.", result.StructuredContent!.Value.GetProperty("message").GetString());
        // The stub moves to its 404 once the slow answer is out, so the retry may meet the slow step once more.
        Assert.InRange(Portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"), 2, 3);
        var line = Assert.Single(AuditLines());
        Assert.Equal("kept", (string?)line["quota"]);
    }

    [Fact]
    public async Task A_delete_answered_503_then_404_is_reported_deleted()
    {
        Portkey.ReplySequence("DELETE", $"virtual-keys/openai-1",
            (503, """{"message":"unavailable"}"""), (404, """{"message":"not found"}"""));
        var server = await StartAsync();

        var result = await server.CallAsync("delete_virtual_key", """{"slug":"openai-1"}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal(2, Portkey.Count("DELETE", "virtual-keys/openai-1"));
    }

    [Fact]
    public async Task A_delete_answered_404_on_its_only_attempt_says_no_such_record_and_gives_back_its_quota()
    {
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 404, """{"message":"api key not found","errorCode":"AB08"}""");
        var server = await StartAsync();

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.StartsWith($"Portkey refused delete_api_key (DELETE /api-keys/{LiveApiKey.Id}): HTTP 404 AB08 - api key not found", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal(1, Portkey.Count("DELETE", $"api-keys/{LiveApiKey.Id}"));
        Assert.Equal("returned", (string?)Assert.Single(AuditLines())["quota"]);
    }

    [Fact]
    public async Task A_delete_that_was_rate_limited_then_404_is_not_found_because_the_429_changed_nothing()
    {
        Portkey.ReplySequence("DELETE", $"api-keys/{LiveApiKey.Id}",
            (429, """{"message":"slow down"}"""), (404, """{"message":"api key not found"}"""));
        var server = await StartAsync();

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.Contains("HTTP 404", InProcessServer.Text(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SilentUpstream.Behaviour.StallBody)]
    [InlineData(SilentUpstream.Behaviour.TrickleBody)]
    public async Task The_time_limit_covers_a_body_that_stalls_or_trickles_after_its_headers(SilentUpstream.Behaviour behaviour)
    {
        using var upstream = new SilentUpstream(behaviour);
        upstream.Start();
        var server = await StartAsync(upstream.BaseUrl);

        var result = await server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.Equal($"Portkey did not answer GET /api-keys/{LiveApiKey.Id} within 1 s on any of 3 attempts.", InProcessServer.Text(result));
        // A read is retried: each attempt was given up on its own time limit, body included.
        Assert.Equal(3, upstream.RequestLines.Count);
    }

    [Fact]
    public async Task A_create_whose_body_stalls_is_given_up_on_and_never_sent_again()
    {
        using var upstream = new SilentUpstream(SilentUpstream.Behaviour.StallBody);
        upstream.Start();
        var server = await StartAsync(upstream.BaseUrl);

        var result = await server.CallAsync("create_api_key", """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");

        Assert.True(result.IsError);
        Assert.StartsWith("Portkey did not answer POST /api-keys/organisation/service within 1 s (not retried", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Single(upstream.RequestLines);
        Assert.Equal("kept", (string?)Assert.Single(AuditLines())["quota"]);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_read_as_a_wait_and_honoured_within_the_limit()
    {
        var soon = DateTimeOffset.UtcNow.AddSeconds(1).ToString("r", CultureInfo.InvariantCulture);
        Portkey.ReplySequence("GET", $"api-keys/{LiveApiKey.Id}",
            (429, """{"message":"slow down"}""", r => r.WithHeader("Retry-After", soon)),
            (200, LiveApiKey.Json, null));
        var server = await StartAsync(timeout: "5");

        var result = await server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal(2, Portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("1e300")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    public async Task A_retry_after_too_long_to_wait_or_to_represent_is_reported_not_waited_out(string header)
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 429, """{"message":"slow down"}""", r => r.WithHeader("Retry-After", header));
        var server = await StartAsync(timeout: "5");

        var result = await server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.StartsWith($"Portkey refused get_api_key (GET /api-keys/{LiveApiKey.Id}): HTTP 429 - slow down (Portkey asks to wait 86400 s before retrying)",
            InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal(1, Portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task A_retry_refused_after_an_attempt_that_may_have_gone_through_says_it_may_have_taken_effect()
    {
        // The first DELETE committed but answered too late; the retry is told to wait two minutes.
        Portkey.ReplySequence("DELETE", $"api-keys/{LiveApiKey.Id}",
            (200, "{}", r => r.WithDelay(TimeSpan.FromMilliseconds(1500))),
            (429, """{"message":"slow down"}""", r => r.WithHeader("Retry-After", "120")));
        var server = await StartAsync();

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.StartsWith($"DELETE /api-keys/{LiveApiKey.Id} may have taken effect: an earlier attempt got no clear answer (no answer", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.EndsWith("Check the record's state before repeating it.", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal("kept", (string?)Assert.Single(AuditLines())["quota"]);
    }

    [Theory]
    [InlineData("OK")]
    [InlineData("<html>done</html>")]
    public async Task A_write_answered_2xx_with_a_body_that_is_not_json_succeeded(string body)
    {
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, null, r => r.WithBody(body));
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 200, null, r => r.WithBody(body));
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        var server = await StartAsync();

        var deleted = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        var updated = await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","name":"renamed"}""");

        Assert.True(deleted.IsError is not true, InProcessServer.Text(deleted));
        Assert.True(updated.IsError is not true, InProcessServer.Text(updated));
    }

    [Fact]
    public async Task A_create_answered_2xx_that_cannot_be_read_says_the_key_has_probably_been_made()
    {
        Portkey.Reply("POST", "api-keys/organisation/service", 200, null, r => r.WithBody("created"));
        var server = await StartAsync();

        var result = await server.CallAsync("create_api_key", """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");

        Assert.True(result.IsError);
        Assert.EndsWith("Portkey accepted the request, so it has probably taken effect: check before repeating it.", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Equal("kept", (string?)Assert.Single(AuditLines())["quota"]);
    }
}
