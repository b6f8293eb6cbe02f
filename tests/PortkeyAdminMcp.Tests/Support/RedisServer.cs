using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// A real redis-server on 127.0.0.1 and a free port, without persistence, for the life of a test class.
/// .ci/run installs it with apt-get; locally: apt-get install redis-server (or set PORTKEY_MCP_TEST_REDIS_SERVER).
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    public RedisServer()
    {
        var executable = Environment.GetEnvironmentVariable("PORTKEY_MCP_TEST_REDIS_SERVER") is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server" }.FirstOrDefault(File.Exists);
        Assert.True(executable is not null && File.Exists(executable),
            "redis-server is needed for the Redis counter tests: apt-get install redis-server, or set PORTKEY_MCP_TEST_REDIS_SERVER");

        Port = FreePort();
        var start = new ProcessStartInfo(executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            Assert.False(_process.HasExited, "redis-server exited at start-up");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(25);
            }
        }

        Assert.Fail("redis-server did not start listening within 10 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
