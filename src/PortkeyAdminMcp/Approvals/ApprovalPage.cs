using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Calls;

namespace PortkeyAdminMcp.Approvals;

/// <summary>
/// The local approval page, for clients that cannot show a dialog (Claude Desktop, the Inspector's CLI). It listens
/// on 127.0.0.1 only, starts on the first approval that needs it, and serves one page per approval: the tool, the rule
/// that asked, method, URL, body (secrets masked) and expiry, with Approve and Decline. A decision needs the URL's
/// one-time token, a nonce the page handed out, this server's own Host, and an Origin of this page, so another site
/// (DNS rebinding, a cross-site form) cannot decide for the user. The token is the human's alone only when the server
/// opens the page itself (PORTKEY_MCP_APPROVAL_OPEN=true); otherwise the agent relays the link, and an agent that can
/// also send HTTP requests to 127.0.0.1 could use it — README says so.
/// </summary>
public sealed partial class ApprovalPage(IOptions<ApprovalOptions> options, PendingApprovals approvals, TimeProvider clock, ILogger<ApprovalPage> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private LoopbackHttpServer? _server;
    private string? _origin;

    /// <summary>The page's origin (http://127.0.0.1:port) once it is listening; null before.</summary>
    public string? Origin => _origin;

    /// <summary>Connections the page is serving now.</summary>
    internal int OpenConnections => _server?.OpenConnections ?? 0;

    /// <summary>
    /// Starts the page if this is the first approval that needs it, before any approval is created, so a port that
    /// cannot be had refuses the call at once instead of leaving an approval nobody can reach.
    /// </summary>
    public async Task<string> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_origin is { } started)
        {
            return started;
        }

        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_origin is null)
            {
                LoopbackHttpServer server;
                try
                {
                    server = LoopbackHttpServer.Start(options.Value.Port, HandleAsync, Render, clock, logger);
                }
                catch (System.Net.Sockets.SocketException exception)
                {
                    throw new ToolFailureException(
                        $"The approval page could not listen on 127.0.0.1{(options.Value.Port == 0 ? "" : ":" + options.Value.Port.ToString(CultureInfo.InvariantCulture))} " +
                        $"({exception.SocketErrorCode}), so nobody could approve this call. Nothing was sent. Free the port or change {ApprovalOptions.PortVariable}.");
                }

                _server = server;
                _origin = $"http://127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}";
                LogListening(logger, _origin);
            }

            return _origin;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>The address of an approval's page without its token: it names the approval but cannot show or decide it.</summary>
    public static string PageUrl(string origin, PendingApproval approval) => $"{origin}/approvals/{approval.Id}";

    /// <summary>The address that lets a human decide: the page with its one-time token.</summary>
    public static string DecisionUrl(string origin, PendingApproval approval) => $"{PageUrl(origin, approval)}?token={approval.Token}";

    private Task<PageResponse> HandleAsync(PageRequest request)
    {
        // DNS rebinding: a page of another site resolved to 127.0.0.1 still says its own name in Host.
        if (!string.Equals(request.Host, _origin!["http://".Length..], StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(new PageResponse(421, "Misdirected Request", "<h1>Wrong host</h1><p>This page answers only at its own address.</p>"));
        }

        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["approvals", var id] || approvals.Find(id) is not { } approval)
        {
            return Task.FromResult(NotFound);
        }

        return request.Method switch
        {
            "GET" => Task.FromResult(ShowPage(approval, System.Web.HttpUtility.ParseQueryString(request.Query)["token"])),
            "POST" => DecideAsync(request, approval),
            _ => Task.FromResult(new PageResponse(405, "Method Not Allowed", "<h1>Not allowed</h1><p>GET or POST only.</p>", Allow: "GET, POST")),
        };
    }

    private static readonly PageResponse NotFound =
        new(404, "Not Found", "<h1>Not found</h1><p>No such approval here. Open the link this server gave for it (it carries a one-time token); it may also have expired, or the server restarted.</p>");

    private static PageResponse ShowPage(PendingApproval approval, string? token)
    {
        if (!approval.TokenMatches(token))
        {
            return NotFound;
        }

        if (approval.State != ApprovalState.Pending)
        {
            return new PageResponse(200, "OK", Outcome(approval));
        }

        var body = new StringBuilder()
            .Append("<h1>Approve this Portkey change?</h1>")
            .Append("<p>Policy rule <b>").Append(Html(approval.Rule)).Append("</b> requires your approval for <b>").Append(Html(approval.Tool)).Append("</b>.</p>")
            .Append("<dl><dt>Request</dt><dd><code>").Append(Html(approval.Request.Method)).Append(' ').Append(Html(approval.Request.Url)).Append("</code></dd>");
        if (approval.Request.Body is { } json)
        {
            body.Append("<dt>Body (secrets masked)</dt><dd><pre>").Append(Html(Indented(json))).Append("</pre></dd>");
        }

        if (approval.Request.Changes is { } changes)
        {
            body.Append("<dt>Changes (read from Portkey before asking)</dt><dd><pre>").Append(Html(Indented(changes))).Append("</pre></dd>");
        }

        body.Append("<dt>Expires</dt><dd>").Append(Html(approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))).Append(" UTC</dd></dl>")
            .Append("<p>Nothing is sent unless you approve, and then only this request.</p>")
            .Append("<form method=\"post\" action=\"/approvals/").Append(Html(approval.Id)).Append("\">")
            .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(Html(approval.Token)).Append("\">")
            .Append("<input type=\"hidden\" name=\"nonce\" value=\"").Append(Html(approval.IssueNonce())).Append("\">")
            .Append("<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button> ")
            .Append("<button type=\"submit\" name=\"decision\" value=\"decline\" id=\"decline\">Decline</button>")
            .Append("</form>");
        return new PageResponse(200, "OK", body.ToString());
    }

    private async Task<PageResponse> DecideAsync(PageRequest request, PendingApproval approval)
    {
        // A form posted from another site carries that site's Origin; a browser always sends one with a POST.
        if (!string.Equals(request.Origin, _origin, StringComparison.OrdinalIgnoreCase) || (request.FetchSite is not null && request.FetchSite != "same-origin"))
        {
            return new PageResponse(403, "Forbidden", "<h1>Refused</h1><p>A decision must come from this page itself.</p>");
        }

        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return new PageResponse(400, "Bad Request", "<h1>Bad request</h1><p>Not a decision.</p>");
        }

        var form = System.Web.HttpUtility.ParseQueryString(Encoding.UTF8.GetString(request.Body));
        var (token, nonce, decision) = (form["token"], form["nonce"], form["decision"]);
        var accepted = decision switch
        {
            "approve" => await approval.ApproveAsync(token, nonce, _stopping.Token),
            "decline" => await approval.RefuseAsync(token, nonce, ApprovalState.Declined, "the user declined on the approval page"),
            _ => false,
        };
        if (!accepted)
        {
            return new PageResponse(403, "Forbidden", "<h1>Not valid</h1><p>This decision is not valid: the link or form is stale, or the approval was already decided.</p>");
        }

        LogDecided(logger, approval.Tool, approval.State);
        return new PageResponse(200, "OK", Outcome(approval));
    }

    private static string Outcome(PendingApproval approval) => approval.State switch
    {
        ApprovalState.Approved when approval.Result is null => "<h1>Approved</h1><p>The request is being sent. The agent gets the result from await_approval.</p>",
        ApprovalState.Approved when approval.Result is { IsError: true } failed =>
            "<h1>Approved, but it failed</h1><p>The request was sent and did not succeed:</p><pre>" + Html(Text(failed)) + "</pre>",
        ApprovalState.Approved => "<h1>Approved and sent</h1><p>The request was sent. The agent gets the result from await_approval.</p>",
        ApprovalState.Declined => "<h1>Declined</h1><p>Nothing was sent.</p>",
        ApprovalState.Expired => "<h1>Expired</h1><p>Nothing was sent.</p>",
        _ => "<h1>Closed</h1><p>Nothing was sent.</p>",
    };

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private static string Indented(JsonElement json)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>HTML-encoded, with invisible characters that reorder or hide text shown as escapes: the human reads what is sent.</summary>
    private static string Html(string text) => HtmlEncoder.Default.Encode(VisibleText.Escape(text));

    private static byte[] Render(PageResponse response)
    {
        var page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + (response.Status == 200 ? "Portkey approval" : Html(response.Reason)) + "</title>" +
                   "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}" +
                   "button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}dt{font-weight:bold;margin-top:1rem}</style></head><body>" + response.Html + "</body></html>";
        var body = Encoding.UTF8.GetBytes(page);
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(response.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(response.Reason).Append("\r\n")
            .Append("Content-Type: text/html; charset=utf-8\r\n")
            .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n")
            .Append("X-Frame-Options: DENY\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n")
            // Not no-referrer: under it a browser sends "Origin: null" with the page's own form, and the Origin check
            // could not tell the page from a sandboxed attacker. same-origin keeps the token-bearing URL from other sites.
            .Append("Referrer-Policy: same-origin\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append("Connection: close\r\n");
        if (response.Allow is { } allow)
        {
            head.Append("Allow: ").Append(allow).Append("\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// On the host's stop, before any service is disposed: an approved request still being sent is cancelled and
    /// ends in a result — quota settled, audit line written — while the audit log and the HTTP client still exist.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_server is { } server)
        {
            await server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_server is { } server)
        {
            await server.DisposeAsync();
        }

        _starting.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval page listening on {Origin}")]
    private static partial void LogListening(ILogger logger, string origin);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: {State} on the approval page")]
    private static partial void LogDecided(ILogger logger, string tool, ApprovalState state);
}
