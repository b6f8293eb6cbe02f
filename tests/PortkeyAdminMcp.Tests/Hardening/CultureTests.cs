using System.Globalization;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Hardening;

/// <summary>
/// Culture never changes behaviour: the same calls give the same bytes under the invariant culture, Thai (Buddhist
/// calendar, its own digits available) and German (decimal comma) — not only because the shipped binary sets
/// InvariantGlobalization, but because every format and parse in the code says which culture it means.
/// </summary>
public sealed class CultureTests : PolicyServerTest
{
    private const string Policy = """
        version: "1"
        tools:
          delete_api_key:
            rules:
              - name: daily deletions
                conditions: [{path: state.delete_api_key.calls, op: lt, value: 2}]
                state: {counter: calls, window: day}
              - {name: ask, action: require_approval, approval_timeout: 90s}
          create_api_key:
            rules:
              - name: credit handed out
                conditions: [{path: state.create_api_key.credit, op: lte, value: 1000.5}]
                state: {counter: credit, window: day, increment_from: args.credit_limit}
        """;

    private async Task<List<string>> ScenarioAsync()
    {
        var prompts = new List<string>();
        var server = await StartAsync(Policy, (request, _) =>
        {
            prompts.Add(request!.Message);
            return ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = "accept" });
        }, settings: new() { ["PORTKEY_TIMEOUT_SECONDS"] = "2" });
        var texts = new List<string>();
        foreach (var (tool, arguments) in new[]
        {
            ("create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"],"credit_limit":2.5,"alert_threshold":150.5}"""),
            ("create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"],"credit_limit":50,"usage_limit_type":"tokens","expires_at":"2020-01-01T00:00:00+07:00"}"""),
            ("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}"""),
            ("update_api_key", $$"""{"id":"{{LiveApiKey.Id}}","credit_limit":1234,"alert_threshold":33.3,"dry_run":true}"""),
            ("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}"""),
            ("delete_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}"""),
        })
        {
            texts.Add(InProcessServer.Text(await server.CallAsync(tool, arguments)));
        }

        texts.AddRange(prompts);
        texts.Add(File.ReadAllText(AuditPath).Split('\n')[0].Split("\"duration_ms\"")[0]);
        await DisposeServerAsync();
        File.Delete(AuditPath);
        return texts;
    }

    [Fact]
    public async Task The_same_calls_answer_the_same_bytes_in_every_culture()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200,
            LiveApiKey.With("\"usage_limits\":null", "\"usage_limits\":{\"type\":\"cost\",\"credit_limit\":2500.75,\"alert_threshold\":1250.5}"));
        Portkey.Reply("DELETE", $"api-keys/{LiveApiKey.Id}", 200, "{}");

        var expected = await InCultureAsync(CultureInfo.InvariantCulture, ScenarioAsync);
        foreach (var name in new[] { "th-TH", "de-DE", "ar-SA", "sv-SE" })
        {
            var actual = await InCultureAsync(CultureInfo.GetCultureInfo(name), ScenarioAsync);
            Assert.Equal(expected, actual);
        }

        // The scenario exercised what culture could change: decimals, a reset date, an approval deadline.
        Assert.Contains(expected, t => t.Contains("must be a whole number (got 2.5)", StringComparison.Ordinal));
        Assert.Contains(expected, t => t.Contains("must be at most 100 (got 150.5)", StringComparison.Ordinal));
        Assert.Contains(expected, t => t.Contains($"It resets at {Clock.Now.UtcDateTime.Date.AddDays(1):yyyy-MM-dd} 00:00:00 UTC.", StringComparison.Ordinal));
        Assert.Contains(expected, t => t.Contains("This request expires in 90 s.", StringComparison.Ordinal));
    }

    private static async Task<T> InCultureAsync<T>(CultureInfo culture, Func<Task<T>> action)
    {
        var (current, ui, defaultCulture, defaultUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture,
            CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = culture;
        try
        {
            return await action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (current, ui);
            (CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture) = (defaultCulture, defaultUi);
        }
    }
}
