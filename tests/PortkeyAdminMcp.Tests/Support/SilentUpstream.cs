using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// A loopback HTTP endpoint that reads each request and never answers: it counts requests the moment
/// they arrive, which a stub that logs after responding cannot do for a request the client gave up on.
/// </summary>
public sealed class SilentUpstream : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly List<string> _requestLines = [];

    public SilentUpstream()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

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
                }
            }
        }
        catch (Exception)
        {
            // The client gave up on us: exactly what these tests provoke.
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
