using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace PortkeyAdminMcp.Approvals;

/// <summary>
/// The local approval page, for clients that cannot show a dialog (Claude Desktop, the Inspector's CLI). It listens
/// on 127.0.0.1 only, starts on the first approval that needs it, and serves one page per approval: the tool, the rule
/// that asked, method, URL, body (secrets masked) and expiry, with Approve and Decline. A decision needs the URL's
/// one-time token, a nonce the page handed out, this server's own Host, and an Origin of this page — so neither the
/// agent (which only has the approval id) nor another site (DNS rebinding, a cross-site form) can decide for the user.
/// </summary>
public sealed partial class ApprovalPage(IOptions<ApprovalOptions> options, PendingApprovals approvals, ILogger<ApprovalPage> logger)
    : IAsyncDisposable
{
    private const int MaxFormBytes = 4096;
    private const int MaxConcurrent = 8;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly SemaphoreSlim _handling = new(MaxConcurrent, MaxConcurrent);
    private readonly CancellationTokenSource _stopping = new();
    private HttpListener? _listener;
    private string? _origin;

    /// <summary>The page's origin (http://127.0.0.1:port) once it is listening; null before.</summary>
    public string? Origin => _origin;

    /// <summary>The approval's page, starting the listener if this is the first; opens it in the browser if configured.</summary>
    public async Task<string> UrlForAsync(PendingApproval approval, CancellationToken cancellationToken)
    {
        var origin = await EnsureStartedAsync(cancellationToken);
        var url = $"{origin}/approvals/{approval.Id}?token={approval.Token}";
        if (options.Value.OpenBrowser)
        {
            OpenInBrowser(url);
        }

        return url;
    }

    private async Task<string> EnsureStartedAsync(CancellationToken cancellationToken)
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
                var port = options.Value.Port != 0 ? options.Value.Port : FreePort();
                var origin = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
                var listener = new HttpListener();
                listener.Prefixes.Add(origin + "/");
                listener.Start();
                _listener = listener;
                _origin = origin;
                _ = Task.Run(() => ServeAsync(listener), CancellationToken.None);
                LogListening(logger, origin);
            }

            return _origin;
        }
        finally
        {
            _starting.Release();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync(HttpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (!await _handling.WaitAsync(TimeSpan.Zero))
            {
                // More pages at once than a person opens: the rest are turned away, not queued without bound.
                Respond(context.Response, 503, "Busy", "<h1>Busy</h1><p>Too many requests at once. Reload in a moment.</p>");
                continue;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await HandleAsync(context);
                }
                catch (Exception exception)
                {
                    LogFailed(logger, exception.GetType().Name);
                    TryRespond(context.Response, 500, "Error", "<h1>Error</h1><p>The approval page failed; the request was not sent.</p>");
                }
                finally
                {
                    _handling.Release();
                }
            }, CancellationToken.None);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        // DNS rebinding: a page of another site resolved to 127.0.0.1 still says its own name in Host.
        if (!string.Equals(request.Headers["Host"], _origin!["http://".Length..], StringComparison.OrdinalIgnoreCase))
        {
            Respond(response, 421, "Wrong host", "<h1>Wrong host</h1><p>This page answers only at its own address.</p>");
            return;
        }

        var segments = request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["approvals", var id] || approvals.Find(id) is not { } approval)
        {
            Respond(response, 404, "Not found", "<h1>Not found</h1><p>No such approval. It may have expired, or the server restarted.</p>");
            return;
        }

        switch (request.HttpMethod)
        {
            case "GET":
                ShowPage(response, approval, request.QueryString["token"]);
                return;
            case "POST":
                await DecideAsync(request, response, approval);
                return;
            default:
                response.AddHeader("Allow", "GET, POST");
                Respond(response, 405, "Not allowed", "<h1>Not allowed</h1><p>GET or POST only.</p>");
                return;
        }
    }

    private static void ShowPage(HttpListenerResponse response, PendingApproval approval, string? token)
    {
        if (!approval.TokenMatches(token))
        {
            Respond(response, 404, "Not found", "<h1>Not found</h1><p>No such approval. It may have expired, or the server restarted.</p>");
            return;
        }

        if (approval.State != ApprovalState.Pending)
        {
            Respond(response, 200, "Decided", Outcome(approval));
            return;
        }

        var body = new StringBuilder()
            .Append("<h1>Approve this Portkey change?</h1>")
            .Append("<p>Policy rule <b>").Append(Html(approval.Rule)).Append("</b> requires your approval for <b>").Append(Html(approval.Tool)).Append("</b>.</p>")
            .Append("<dl><dt>Request</dt><dd><code>").Append(Html(approval.Request.Method)).Append(' ').Append(Html(approval.Request.Url)).Append("</code></dd>");
        if (approval.Request.Body is { } json)
        {
            body.Append("<dt>Body (secrets masked)</dt><dd><pre>").Append(Html(Indented(json))).Append("</pre></dd>");
        }

        body.Append("<dt>Expires</dt><dd>").Append(Html(approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))).Append(" UTC</dd></dl>")
            .Append("<p>Nothing is sent unless you approve. Exactly this request is sent, once.</p>")
            .Append("<form method=\"post\" action=\"/approvals/").Append(Html(approval.Id)).Append("\">")
            .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(Html(approval.Token)).Append("\">")
            .Append("<input type=\"hidden\" name=\"nonce\" value=\"").Append(Html(approval.IssueNonce())).Append("\">")
            .Append("<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button> ")
            .Append("<button type=\"submit\" name=\"decision\" value=\"decline\" id=\"decline\">Decline</button>")
            .Append("</form>");
        Respond(response, 200, "Approve this Portkey change?", body.ToString());
    }

    private async Task DecideAsync(HttpListenerRequest request, HttpListenerResponse response, PendingApproval approval)
    {
        // A form posted from another site carries that site's Origin; a browser always sends one with a POST.
        var origin = request.Headers["Origin"];
        var site = request.Headers["Sec-Fetch-Site"];
        if (!string.Equals(origin, _origin, StringComparison.OrdinalIgnoreCase) || (site is not null && site != "same-origin"))
        {
            Respond(response, 403, "Refused", "<h1>Refused</h1><p>A decision must come from this page itself.</p>");
            return;
        }

        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true ||
            request.ContentLength64 is < 0 or > MaxFormBytes)
        {
            Respond(response, 400, "Bad request", "<h1>Bad request</h1><p>Not a decision.</p>");
            return;
        }

        var form = System.Web.HttpUtility.ParseQueryString(await ReadFormAsync(request));
        var (token, nonce, decision) = (form["token"], form["nonce"], form["decision"]);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var accepted = decision switch
        {
            "approve" => await approval.ApproveAsync(token, nonce, bounded.Token),
            "decline" => await approval.RefuseAsync(token, nonce, ApprovalState.Declined, "the user declined on the approval page"),
            _ => false,
        };
        if (!accepted)
        {
            Respond(response, 403, "Not valid", "<h1>Not valid</h1><p>This decision is not valid: the link or form is stale, or the approval was already decided.</p>");
            return;
        }

        LogDecided(logger, approval.Tool, approval.State);
        Respond(response, 200, "Decided", Outcome(approval));
    }

    private static async Task<string> ReadFormAsync(HttpListenerRequest request)
    {
        using var timeout = new CancellationTokenSource(ReadLimit);
        var buffer = new byte[MaxFormBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.InputStream.ReadAsync(buffer.AsMemory(total), timeout.Token).AsTask().WaitAsync(timeout.Token)) > 0)
        {
            total += read;
        }

        return total > MaxFormBytes ? string.Empty : Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Outcome(PendingApproval approval) => approval.State switch
    {
        ApprovalState.Approved when approval.Result is { IsError: true } failed =>
            "<h1>Approved, but it failed</h1><p>The request was sent once and Portkey did not accept it:</p><pre>" + Html(Text(failed)) + "</pre>",
        ApprovalState.Approved => "<h1>Approved and sent</h1><p>The request was sent once. The agent gets the result from await_approval.</p>",
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

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);

    private static void Respond(HttpListenerResponse response, int status, string title, string body)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        // Not no-referrer: under it a browser sends "Origin: null" with the page's own form, and the Origin check
        // could not tell the page from a sandboxed attacker. same-origin keeps the token-bearing URL from other sites.
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers["Cache-Control"] = "no-store";
        var page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html(title) + "</title>" +
                   "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}" +
                   "button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}dt{font-weight:bold;margin-top:1rem}</style></head><body>" + body + "</body></html>";
        var bytes = Encoding.UTF8.GetBytes(page);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    private static void TryRespond(HttpListenerResponse response, int status, string title, string body)
    {
        try
        {
            Respond(response, status, title, body);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is gone.
        }
    }

    /// <summary>PORTKEY_MCP_APPROVAL_OPEN=true: the page opens in the user's browser, through the desktop's own opener.</summary>
    private void OpenInBrowser(string url)
    {
        var (command, arguments) = OperatingSystem.IsWindows() ? ("cmd", new[] { "/c", "start", "", url })
            : OperatingSystem.IsMacOS() ? ("open", new[] { url })
            : ("xdg-open", new[] { url });
        try
        {
            var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            LogOpenFailed(logger, command);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listener is { } listener)
        {
            listener.Close();
        }

        _stopping.Dispose();
        _starting.Dispose();
        _handling.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval page listening on {Origin}")]
    private static partial void LogListening(ILogger logger, string origin);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: {State} on the approval page")]
    private static partial void LogDecided(ILogger logger, string tool, ApprovalState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The approval page failed to answer a request ({Type})")]
    private static partial void LogFailed(ILogger logger, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open the approval page with {Command}; show the link to the user instead")]
    private static partial void LogOpenFailed(ILogger logger, string command);
}
