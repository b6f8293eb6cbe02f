using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PortkeyAdminMcp.Approvals;

/// <summary>One HTTP request as the approval page sees it: nothing it does not need, all of it bounded.</summary>
public sealed record PageRequest(string Method, string Path, string Query, string? Host, string? Origin, string? FetchSite, string? ContentType, byte[] Body);

/// <summary>One answer of the approval page: a status, a title and an HTML body (the page frame is added around it).</summary>
public sealed record PageResponse(int Status, string Reason, string Html, string? Allow = null);

/// <summary>
/// A deliberately small HTTP/1.1 server for the approval page, on a loopback address only. Everything a visitor can
/// make it wait for has a bound: at most <see cref="MaxConnections"/> connections at once (the rest are closed at
/// once, so no one can exhaust the process's descriptors), one request per connection, the whole request — head and
/// body — within <see cref="RequestDeadline"/> on the server's clock, a head of at most 8 KiB and a body of at most
/// 4 KiB. HttpListener (which has none of these caps) and Kestrel (which would make every machine running the dotnet
/// tool need the ASP.NET Core runtime) were the alternatives.
/// </summary>
public sealed partial class LoopbackHttpServer : IAsyncDisposable
{
    public const int MaxConnections = 16;
    public const int MaxHeadBytes = 8192;
    public const int MaxBodyBytes = 4096;
    public static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly Func<PageRequest, Task<PageResponse>> _handle;
    private readonly Func<PageResponse, byte[]> _render;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connections = new(MaxConnections, MaxConnections);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly HashSet<Task> _serving = [];

    private LoopbackHttpServer(TcpListener listener, Func<PageRequest, Task<PageResponse>> handle, Func<PageResponse, byte[]> render, TimeProvider clock, ILogger logger)
    {
        _listener = listener;
        _handle = handle;
        _render = render;
        _clock = clock;
        _logger = logger;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync, CancellationToken.None);
    }

    public int Port { get; }

    /// <summary>Connections being served now.</summary>
    public int OpenConnections => MaxConnections - _connections.CurrentCount;

    /// <summary>Listens on 127.0.0.1 at the port (0: a free one). Throws SocketException when the port is taken.</summary>
    public static LoopbackHttpServer Start(int port, Func<PageRequest, Task<PageResponse>> handle, Func<PageResponse, byte[]> render, TimeProvider clock, ILogger logger)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start(MaxConnections);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new LoopbackHttpServer(listener, handle, render, clock, logger);
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                // A connection that failed while being accepted is that connection's problem, not the page's.
                continue;
            }

            if (!_connections.Wait(0))
            {
                // More connections at once than a person's browser opens: closed, not queued, so none can pile up.
                socket.Dispose();
                continue;
            }

            // The request's deadline starts at accept, not when a thread gets to it: a loaded machine must not stretch it.
            var reading = Deadline();
            var serving = Task.Run(() => ServeAsync(socket, reading), CancellationToken.None);
            lock (_serving)
            {
                _serving.Add(serving);
            }

            _ = serving.ContinueWith(done =>
            {
                lock (_serving)
                {
                    _serving.Remove(done);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket, Bound reading)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            PageRequest? request;
            using (reading)
            {
                request = await ReadAsync(stream, reading.Token);
            }

            // The page's own work is not the visitor's to stall: an approved request is sent under the HTTP client's
            // own time limits, and its answer is written under a fresh deadline.
            var response = request is null
                ? new PageResponse(400, "Bad Request", "<h1>Bad request</h1><p>This page answers plain HTTP/1.1 GET and POST requests.</p>")
                : await _handle(request);
            // Written even while stopping (the user learns how an approved request ended), within the deadline.
            using var writing = new Bound(_clock, CancellationToken.None);
            await stream.WriteAsync(_render(response), writing.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Too slow, gone, or the server is stopping: the connection is closed with nothing more said.
        }
        catch (Exception exception)
        {
            LogFailed(_logger, exception.GetType().Name);
        }
        finally
        {
            socket.Dispose();
            _connections.Release();
        }
    }

    private Bound Deadline() => new(_clock, _stopping.Token);

    /// <summary><see cref="RequestDeadline"/> on the server's clock, or the server's stop, whichever comes first.</summary>
    private sealed class Bound(TimeProvider clock, CancellationToken stopping) : IDisposable
    {
        private readonly CancellationTokenSource _timer = new(RequestDeadline, clock);
        private CancellationTokenSource? _linked;

        public CancellationToken Token => (_linked ??= CancellationTokenSource.CreateLinkedTokenSource(_timer.Token, stopping)).Token;

        public void Dispose()
        {
            _linked?.Dispose();
            _timer.Dispose();
        }
    }

    /// <summary>The request line, the headers the page reads, and a Content-Length body; null for anything else.</summary>
    private static async Task<PageRequest?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes + MaxBodyBytes];
        var filled = 0;
        var headEnd = -1;
        while (headEnd < 0)
        {
            if (filled == MaxHeadBytes)
            {
                return null;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled, MaxHeadBytes - filled), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            filled += read;
            headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
        }

        var lines = Encoding.Latin1.GetString(buffer, 0, headEnd).Split("\r\n");
        if (lines[0].Split(' ') is not [var method, var target, "HTTP/1.1" or "HTTP/1.0"] || !target.StartsWith('/'))
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !headers.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim()))
            {
                // A malformed or repeated header (two Hosts, two Origins) is not a request the page can judge.
                return null;
            }
        }

        if (headers.ContainsKey("Transfer-Encoding"))
        {
            return null;
        }

        var length = 0;
        if (headers.TryGetValue("Content-Length", out var declared) &&
            (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > MaxBodyBytes))
        {
            return null;
        }

        var bodyStart = headEnd + 4;
        var total = bodyStart + length;
        if (filled > total)
        {
            return null;
        }

        while (filled < total)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled, total - filled), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            filled += read;
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        return new PageRequest(
            method,
            question < 0 ? target : target[..question],
            question < 0 ? string.Empty : target[(question + 1)..],
            headers.GetValueOrDefault("Host"),
            headers.GetValueOrDefault("Origin"),
            headers.GetValueOrDefault("Sec-Fetch-Site"),
            headers.GetValueOrDefault("Content-Type"),
            buffer[bodyStart..total]);
    }

    /// <summary>
    /// Stops listening and cancels what is in flight (an approved request being sent ends in a result, its quota
    /// settled and its audit line written), then waits for that, within <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Task[] serving;
        lock (_serving)
        {
            serving = [.. _serving];
        }

        await Task.WhenAll(serving).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _listener.Dispose();
        // _connections is not disposed: a connection still closing releases it. It holds no handle without a wait handle.
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The approval page failed to answer a request ({Type})")]
    private static partial void LogFailed(ILogger logger, string type);
}
