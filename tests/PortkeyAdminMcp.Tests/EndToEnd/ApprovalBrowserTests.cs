using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>
/// Approval where the client has no dialog, as Claude Desktop launches a server: the built executable over stdio, the
/// SDK's client without elicitation, and a real headless Chromium on the local approval page.
/// </summary>
public sealed class ApprovalBrowserTests(ChromiumFixture browser) : IAsyncLifetime, IClassFixture<ChromiumFixture>
{
    private const string Create = """{"name":"ci-bot","type":"workspace","sub_type":"service","workspace_id":"ws-ops","scopes":["logs.view"]}""";
    private const string Secret = "pk-live-BrowserApprovedSecret0042";

    private readonly PortkeyStub _portkey = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-browser-").FullName;
    private readonly List<McpClient> _clients = [];

    private string AuditPath => Path.Combine(_directory, "audit.jsonl");

    public Task InitializeAsync()
    {
        _portkey.Reply("POST", "api-keys/workspace/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{Secret}}"}""");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var page in _pages)
        {
            await page.Context.CloseAsync();
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _portkey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private readonly List<IPage> _pages = [];

    private async Task<IPage> PageAsync(bool javaScript = true)
    {
        var page = await browser.NewPageAsync(javaScript);
        _pages.Add(page);
        return page;
    }

    private async Task<McpClient> ConnectAsync(string approvalTimeout = "10m")
    {
        var policy = Path.Combine(_directory, "policy.yaml");
        await File.WriteAllTextAsync(policy, $$"""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - {name: one a day, rate_limit: 1/day}
                  - {name: new keys need a human, action: require_approval, approval_timeout: {{approvalTimeout}}}
            """);
        var client = await ServerExecutable.ConnectAsync(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = _portkey.BaseUrl,
            ["PORTKEY_MCP_POLICY"] = policy,
            ["PORTKEY_MCP_AUDIT_LOG"] = AuditPath,
        }, _stderr.Enqueue);
        _clients.Add(client);
        return client;
    }

    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, string json) =>
        await client.CallToolAsync(tool, InProcessServer.Arguments(json), cancellationToken: Bounded.Token());

    /// <summary>The write answers at once, not as an error, with the link and the exact request it holds.</summary>
    private static async Task<(string Id, string Url)> RequestApprovalAsync(McpClient client)
    {
        var result = await CallAsync(client, "create_api_key", Create);
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        var structured = result.StructuredContent!.Value;
        Assert.Equal("approval_required", structured.GetProperty("status").GetString());
        Assert.Equal("new keys need a human", structured.GetProperty("rule").GetString());
        var request = structured.GetProperty("request");
        Assert.Equal("POST", request.GetProperty("method").GetString());
        var url = structured.GetProperty("approval_url").GetString()!;
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        return (structured.GetProperty("approval_id").GetString()!, url);
    }

    private static async Task<CallToolResult> AwaitAsync(McpClient client, string id) =>
        await CallAsync(client, "await_approval", $$"""{"approval_id":"{{id}}"}""");

    private List<JsonNode> AuditLines() => [.. File.ReadAllLines(AuditPath).Select(line => JsonNode.Parse(line)!)];

    [SkippableFact]
    public async Task A_client_without_a_dialog_gets_a_link_a_browser_approves_and_await_approval_returns_the_created_key()
    {
        var client = await ConnectAsync();
        Assert.Contains(await client.ListToolsAsync(cancellationToken: Bounded.Token()), t => t.Name == "await_approval");
        var (id, url) = await RequestApprovalAsync(client);
        Assert.Empty(_portkey.Requests);

        var page = await PageAsync();
        await page.GotoAsync(url);
        var twin = await PageAsync();
        await twin.GotoAsync(url);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Approve this Portkey change?");
        var shown = await page.Locator("body").InnerTextAsync();
        Assert.Contains("new keys need a human", shown, StringComparison.Ordinal);
        Assert.Contains("create_api_key", shown, StringComparison.Ordinal);
        Assert.Contains($"POST {_portkey.BaseUrl}/api-keys/workspace/service", shown.ReplaceLineEndings(" ").Replace("\t", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"workspace_id\": \"ws-ops\"", shown, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Approved and sent");

        var awaited = await AwaitAsync(client, id);

        Assert.True(awaited.IsError is not true, InProcessServer.Text(awaited));
        var structured = awaited.StructuredContent!.Value;
        Assert.Equal("approved", structured.GetProperty("status").GetString());
        Assert.Equal(Secret, structured.GetProperty("result").GetProperty("key").GetString());
        Assert.Equal(LiveApiKey.Id, structured.GetProperty("result").GetProperty("id").GetString());
        // Handed over once: asked again, the outcome is the same but the secret is masked like every secret already issued.
        var again = (await AwaitAsync(client, id)).StructuredContent!.Value.GetProperty("result");
        Assert.Equal((LiveApiKey.Id, "[REDACTED]"), (again.GetProperty("id").GetString(), again.GetProperty("key").GetString()));
        var sent = _portkey.Single("POST", "api-keys/workspace/service");
        PortkeyStub.AssertJsonEqual("""{"name":"ci-bot","workspace_id":"ws-ops","scopes":["logs.view"]}""", PortkeyStub.Body(sent));

        // The same page left open in another tab: its Approve sends nothing more. Going back shows the outcome, not the form.
        await twin.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(twin.Locator("h1")).ToHaveTextAsync("Not valid");
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Approved and sent");
        Assert.Equal(0, await page.Locator("button").CountAsync());
        Assert.Single(_portkey.Requests);

        await client.DisposeAsync();
        var line = Assert.Single(AuditLines(), l => (string?)l["tool"] == "create_api_key");
        Assert.Equal(("approved", "browser", "kept"), ((string?)line["decision"], (string?)line["approval_channel"], (string?)line["quota"]));
        Assert.Contains(AuditLines(), l => (string?)l["tool"] == "await_approval");
        Assert.DoesNotContain(Secret, File.ReadAllText(AuditPath), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Declined_with_the_keyboard_and_without_javascript_nothing_is_sent_and_the_quota_comes_back()
    {
        var client = await ConnectAsync();
        var (id, url) = await RequestApprovalAsync(client);

        var page = await PageAsync(javaScript: false);
        await page.GotoAsync(url);
        await page.FocusAsync("#decline");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Declined");

        var awaited = await AwaitAsync(client, id);

        Assert.True(awaited.IsError);
        Assert.Equal(
            "[POLICY DENIED] Policy rule \"new keys need a human\" required approval for create_api_key; the user declined on the approval page. Nothing was sent.",
            InProcessServer.Text(awaited));
        Assert.Empty(_portkey.Requests);
        await client.DisposeAsync();
        var line = Assert.Single(AuditLines(), l => (string?)l["tool"] == "create_api_key");
        Assert.Equal(("declined", "browser", "returned"), ((string?)line["decision"], (string?)line["approval_channel"], (string?)line["quota"]));
    }

    [SkippableFact]
    public async Task An_approval_nobody_answers_expires_sends_nothing_and_the_page_says_so()
    {
        var client = await ConnectAsync(approvalTimeout: "1s");
        var (id, url) = await RequestApprovalAsync(client);

        // await_approval returns when the approval settles, here when it expires on the server's clock.
        var awaited = await AwaitAsync(client, id);

        Assert.True(awaited.IsError);
        var refusal = InProcessServer.Text(awaited);
        Assert.StartsWith("[POLICY DENIED] Policy rule \"new keys need a human\" required approval for create_api_key; nobody approved it before ", refusal, StringComparison.Ordinal);
        Assert.EndsWith(" UTC, so it expired. Nothing was sent.", refusal, StringComparison.Ordinal);
        var page = await PageAsync();
        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Expired");
        Assert.Equal(0, await page.Locator("button").CountAsync());
        Assert.Empty(_portkey.Requests);
        await client.DisposeAsync();
        var line = Assert.Single(AuditLines(), l => (string?)l["tool"] == "create_api_key");
        Assert.Equal(("declined", "returned"), ((string?)line["decision"], (string?)line["quota"]));
    }

    [SkippableFact]
    public async Task A_form_on_another_site_a_post_without_the_nonce_and_a_wrong_host_cannot_approve()
    {
        var client = await ConnectAsync();
        var (id, url) = await RequestApprovalAsync(client);
        var approvalUri = new Uri(url);
        var action = approvalUri.GetLeftPart(UriPartial.Path);

        // The real page, opened once, hands out its token and nonce; a hostile site gets even those.
        var page = await PageAsync();
        await page.GotoAsync(url);
        var token = await page.Locator("input[name=token]").GetAttributeAsync("value");
        var nonce = await page.Locator("input[name=nonce]").GetAttributeAsync("value");

        // A cross-site form that auto-submits: the browser sends Origin and Sec-Fetch-Site, and the page refuses it.
        var attacker = await PageAsync();
        await attacker.RouteAsync("http://attacker.test/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $"""
                <form id="f" method="post" action="{action}">
                <input name="token" value="{token}"><input name="nonce" value="{nonce}"><input name="decision" value="approve">
                </form><button id="go" onclick="document.getElementById('f').submit()">win a prize</button>
                """,
        }));
        await attacker.GotoAsync("http://attacker.test/");
        var refused = await attacker.RunAndWaitForResponseAsync(() => attacker.ClickAsync("#go"), response => response.Request.Method == "POST");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused.Status);
        await Assertions.Expect(attacker.Locator("h1")).ToHaveTextAsync("Refused");
        await Assertions.Expect(attacker.Locator("p")).ToHaveTextAsync("A decision must come from this page itself.");

        // A script with an HTTP client: without the nonce, and under another Host name (DNS rebinding).
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        using (var noNonce = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token!, ["decision"] = "approve" }),
        })
        {
            noNonce.Headers.Add("Origin", approvalUri.GetLeftPart(UriPartial.Authority));
            noNonce.Headers.Add("Sec-Fetch-Site", "same-origin");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(noNonce, Bounded.Token())).StatusCode);
        }

        using (var rebound = new HttpRequestMessage(HttpMethod.Get, url))
        {
            rebound.Headers.Host = "evil.example";
            Assert.NotEqual(HttpStatusCode.OK, (await http.SendAsync(rebound, Bounded.Token())).StatusCode);
        }

        Assert.Empty(_portkey.Requests);
        // The real page still works, and its Approve sends the request once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Approved and sent");
        Assert.Equal("approved", (await AwaitAsync(client, id)).StructuredContent!.Value.GetProperty("status").GetString());
        Assert.Equal(1, _portkey.Count("POST", "api-keys/workspace/service"));
    }
}
