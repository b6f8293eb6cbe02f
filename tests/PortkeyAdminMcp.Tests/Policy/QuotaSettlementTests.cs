using System.Net;
using System.Net.Sockets;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>
/// A unit of quota is spent once a write may have happened, and given back only when Portkey certainly did not
/// change: refused before sending, a connection that never opened, or a 4xx. Each kind of failure, with what the
/// next call under a one-per-hour rule gets and what the audit line says.
/// </summary>
public sealed class QuotaSettlementTests : PolicyServerTest
{
    private const string Create = """{"name":"ops","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""";
    private const string CreateVirtual = """{"name":"v","provider":"openai","key":"sk-proj-QuotaSettlementKey001"}""";
    private const string OnePerHour = """
        version: "1"
        tools:
          "*":
            rules:
              - {name: one per hour, rate_limit: 1/hour}
        """;

    private const string Refusal = "Rate limit of 1 per hour reached. Try again later.";

    private Task<InProcessServer> StartAsync(string baseUrl, string timeout = "5") =>
        StartAsync(OnePerHour, settings: new() { ["PORTKEY_BASE_URL"] = baseUrl, ["PORTKEY_TIMEOUT_SECONDS"] = timeout });

    private void AssertSettled(string quota, string reasonStart)
    {
        var line = AuditLines()[0];
        Assert.Equal(quota, (string?)line["quota"]);
        Assert.StartsWith(reasonStart, (string?)line["quota_reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_that_times_out_after_portkey_committed_it_keeps_its_quota()
    {
        // The example: the upstream commits and answers after 2.5 s, the server gives up after 1 s.
        Portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"pk-live-Late000000001"}""",
            r => r.WithDelay(TimeSpan.FromMilliseconds(2500)));
        var server = await StartAsync(Portkey.BaseUrl, timeout: "1");

        var first = await server.CallAsync("create_api_key", Create);
        var results = new List<ModelContextProtocol.Protocol.CallToolResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await server.CallAsync("create_api_key", Create));
        }

        Assert.True(first.IsError);
        Assert.StartsWith("Portkey did not answer POST /api-keys/organisation/service within 1 s", InProcessServer.Text(first), StringComparison.Ordinal);
        Assert.All(results, r => AssertRefused(r, Refusal));
        // The stub logs a request once it has answered it, 2.5 s after it arrived.
        await Bounded.UntilAsync(() => Portkey.Count("POST", "api-keys/organisation/service") > 0);
        Assert.Equal(1, Portkey.Count("POST", "api-keys/organisation/service"));
        AssertSettled("kept", "POST /api-keys/organisation/service timed out (no answer)");
    }

    [Fact]
    public async Task A_create_answered_500_keeps_its_quota()
    {
        Portkey.Reply("POST", "api-keys/organisation/service", 500, """{"message":"database hiccup"}""");
        var server = await StartAsync(Portkey.BaseUrl);

        Assert.True((await server.CallAsync("create_api_key", Create)).IsError);

        AssertRefused(await server.CallAsync("create_api_key", Create), Refusal);
        AssertSettled("kept", "POST /api-keys/organisation/service was answered HTTP 500");
    }

    [Fact]
    public async Task A_create_refused_with_a_4xx_gives_its_quota_back()
    {
        Portkey.ReplySequence("POST", "api-keys/organisation/service",
            (400, """{"message":"bad scope"}"""), (200, $$"""{"id":"{{LiveApiKey.Id}}","key":"pk-live-Second00000001"}"""));
        var server = await StartAsync(Portkey.BaseUrl);

        Assert.True((await server.CallAsync("create_api_key", Create)).IsError);

        Assert.NotEqual(true, (await server.CallAsync("create_api_key", Create)).IsError);
        AssertSettled("returned", "nothing changed upstream: Portkey refused it (HTTP 400)");
    }

    [Fact]
    public async Task A_create_whose_2xx_answer_broke_off_keeps_its_quota()
    {
        using var upstream = new SilentUpstream(SilentUpstream.Behaviour.Truncated);
        upstream.Start();
        var server = await StartAsync(upstream.BaseUrl);

        Assert.True((await server.CallAsync("create_api_key", Create)).IsError);

        AssertRefused(await server.CallAsync("create_api_key", Create), Refusal);
        Assert.Single(upstream.RequestLines);
        AssertSettled("kept", "POST /api-keys/organisation/service broke off in its answer (HTTP 200)");
    }

    [Fact]
    public async Task A_virtual_key_created_without_a_slug_in_the_answer_keeps_its_quota()
    {
        Portkey.Reply("POST", "virtual-keys", 200, """{"success":true,"data":{}}""");
        var server = await StartAsync(Portkey.BaseUrl);

        var first = await server.CallAsync("create_virtual_key", CreateVirtual);

        Assert.Equal("Portkey accepted the virtual key but its answer has no slug. It may exist: list virtual keys before creating another.", InProcessServer.Text(first));
        AssertRefused(await server.CallAsync("create_virtual_key", CreateVirtual), Refusal);
        AssertSettled("kept", "POST /virtual-keys was answered HTTP 200");
    }

    [Fact]
    public async Task A_create_that_never_connected_gives_its_quota_back()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = await StartAsync($"http://127.0.0.1:{port}/v1");

        var first = await server.CallAsync("create_api_key", Create);
        var second = await server.CallAsync("create_api_key", Create);

        Assert.StartsWith("Could not reach Portkey for POST /api-keys/organisation/service: the connection was refused or reset.", InProcessServer.Text(first), StringComparison.Ordinal);
        // Not refused by the policy: the first call's unit came back, so the second is judged on the quota alone.
        Assert.DoesNotContain("POLICY DENIED", InProcessServer.Text(second), StringComparison.Ordinal);
        AssertSettled("returned", "nothing changed upstream");
    }

    [Fact]
    public async Task An_update_whose_read_fails_gives_back_and_one_whose_write_fails_with_5xx_keeps()
    {
        const string Missing = "00000000-0000-4000-8000-000000000000";
        Portkey.Reply("GET", $"api-keys/{Missing}", 404, """{"message":"no such key"}""");
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        Portkey.Reply("PUT", $"api-keys/{LiveApiKey.Id}", 502, "<html>bad gateway</html>");
        var server = await StartAsync(Portkey.BaseUrl);

        Assert.True((await server.CallAsync("update_api_key", $$"""{"id":"{{Missing}}","credit_limit":50}""")).IsError);
        Assert.True((await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","credit_limit":50}""")).IsError);
        AssertRefused(await server.CallAsync("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","credit_limit":60}"""), Refusal);

        var lines = AuditLines();
        Assert.Equal(["returned", "kept", "none"], lines.Select(l => (string?)l["quota"]));
        Assert.StartsWith($"PUT /api-keys/{LiveApiKey.Id} was answered HTTP 502", (string?)lines[1]["quota_reason"], StringComparison.Ordinal);
        Assert.Equal(0, Portkey.Count("PUT", $"api-keys/{Missing}"));
        Assert.Equal(3, Portkey.Count("PUT", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task A_declined_approval_gives_back_and_says_so()
    {
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - {name: one per hour, rate_limit: 1/hour}
                  - {name: ask, action: require_approval}
            """, (_, _) => ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = "decline" }));

        var result = await server.CallAsync("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        Assert.True(result.IsError);
        Assert.Empty(Portkey.Requests);
        AssertSettled("returned", "nothing changed upstream: approval was not given");
    }
}
