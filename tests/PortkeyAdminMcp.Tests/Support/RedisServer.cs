using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// A real redis-server on 127.0.0.1 and a free port, without persistence, started on first use and kept for the life
/// of a test class. Without redis-server the tests that use it are skipped (<see cref="ExternalPrograms"/>); .ci/run
/// installs it with apt-get; locally: apt-get install redis-server (or set PORTKEY_MCP_TEST_REDIS_SERVER).
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly string? s_executable = ExternalPrograms.Find(
        Environment.GetEnvironmentVariable("PORTKEY_MCP_TEST_REDIS_SERVER"),
        "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server");

    private Process? _process;
    private int _port;

    /// <summary>Skips the calling test when redis-server is not installed (fails it under CI).</summary>
    public static void SkipUnlessInstalled() =>
        ExternalPrograms.SkipUnless(s_executable, "redis-server", "apt-get install redis-server, or set PORTKEY_MCP_TEST_REDIS_SERVER");

    /// <summary>Starts the server on first use; call <see cref="SkipUnlessInstalled"/> first.</summary>
    private void EnsureStarted()
    {
        if (_process is not null)
        {
            return;
        }

        SkipUnlessInstalled();
        var executable = s_executable!;
        _port = FreePort();
        var start = new ProcessStartInfo(executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
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

    public int Port
    {
        get
        {
            EnsureStarted();
            return _port;
        }
    }

    public string Url => $"redis://127.0.0.1:{Port}";

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            Assert.False(_process!.HasExited, "redis-server exited at start-up");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, _port);
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
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
