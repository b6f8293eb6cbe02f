using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// A loopback HTTP endpoint that reads each request and never answers: it counts requests the moment
/// they arrive, which a stub that logs after responding cannot do for a request the client gave up on.
/// </summary>
public sealed class SilentUpstream(SilentUpstream.Behaviour behaviour = SilentUpstream.Behaviour.Silent) : IDisposable
{
    public enum Behaviour
    {
        /// <summary>Never answer.</summary>
        Silent,

        /// <summary>Reset the connection as soon as a request arrives.</summary>
        Reset,

        /// <summary>Promise a body, send part of it, close.</summary>
        Truncated,

        /// <summary>Send 200 headers promising a body, then send nothing more and keep the connection open.</summary>
        StallBody,

        /// <summary>Send 200 headers, then the body one byte every 200 ms.</summary>
        TrickleBody,
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly List<string> _requestLines = [];

    private int _closedByClient;

    public void Start()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>Connections the client closed (an abandoned or cancelled request).</summary>
    public int ClosedByClient => Volatile.Read(ref _closedByClient);

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1";

    public IReadOnlyList<string> RequestLines
    {
        get
        {
            lock (_requestLines)
            {
                return [.. _requestLines];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(client);
            }

            _ = ReadAsync(client);
        }
    }

    private async Task ReadAsync(TcpClient client)
    {
        var buffer = new byte[64 * 1024];
        var received = new StringBuilder();
        try
        {
            var stream = client.GetStream();
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    Interlocked.Increment(ref _closedByClient);
                    return;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var text = received.ToString();
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    lock (_requestLines)
                    {
                        _requestLines.Add(text[..text.IndexOf("\r\n", StringComparison.Ordinal)]);
                    }

                    received.Clear();
                    switch (behaviour)
                    {
                        case Behaviour.Reset:
                            client.Client.LingerState = new LingerOption(true, 0);
                            client.Close();
                            return;
                        case Behaviour.Truncated:
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"id\":\"60571396"), _stop.Token);
                            client.Close();
                            return;
                        case Behaviour.StallBody:
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"), _stop.Token);
                            break;
                        case Behaviour.TrickleBody:
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"), _stop.Token);
                            _ = TrickleAsync(stream);
                            break;
                    }
                }
            }
        }
        catch (IOException)
        {
            Interlocked.Increment(ref _closedByClient);
        }
        catch (Exception)
        {
            // Stopped or disposed.
        }
    }

    private async Task TrickleAsync(NetworkStream stream)
    {
        try
        {
            for (var i = 0; i < 400 && !_stop.IsCancellationRequested; i++)
            {
                await Task.Delay(200, _stop.Token);
                await stream.WriteAsync(" "u8.ToArray(), _stop.Token);
            }
        }
        catch (Exception)
        {
            // The client gave up (as it should) or the stub stopped.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
    }
}
