using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

// Launches the server the way an MCP client does and measures what its users feel:
//   dotnet run -c Release --project bench/PortkeyAdminMcp.StartupBench -- <server executable> [starts=10] [calls=1000]
// Prints one Markdown table row. Everything talks to a stub upstream on 127.0.0.1. The server inherits this process's
// environment, so PORTKEY_MCP_TOOLSETS=all measures start-up with every toolset.
//   ... -- tool-bytes <server executable> <reference.json>: tools/list bytes per toolset beside another server's.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: StartupBench <server executable or .dll> [starts] [calls]");
    return 2;
}

if (args[0] == "tool-bytes")
{
    return await ToolBytes.RunAsync(Path.GetFullPath(args[1]), args[2]);
}

var server = Path.GetFullPath(args[0]);
var starts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
const string KeyId = "60571396-bd81-4e58-8c82-4858930ede0b";

using var stub = new StubUpstream();

// 1. Spawn to initialize answer, median of N fresh processes.
var startTimes = new List<double>();
for (var i = 0; i < starts; i++)
{
    var clock = Stopwatch.StartNew();
    await using var session = ServerSession.Start(server, stub.BaseUrl);
    await session.InitializeAsync();
    startTimes.Add(clock.Elapsed.TotalMilliseconds);
}

// 2. tools/list size, 3. per-call latency through MCP against the floor, 4. peak RSS.
await using var live = ServerSession.Start(server, stub.BaseUrl);
await live.InitializeAsync();
var list = await live.RequestAsync("tools/list", "{}");
var listBytes = Encoding.UTF8.GetByteCount(list);
var seedBytes = SeedToolBytes(list);

var callArguments = $$$"""{"name":"get_api_key","arguments":{"id":"{{{KeyId}}}"}}""";
for (var i = 0; i < 100; i++)
{
    await live.RequestAsync("tools/call", callArguments);
}

var mcp = new List<double>(calls);
for (var i = 0; i < calls; i++)
{
    var clock = Stopwatch.StartNew();
    var answer = await live.RequestAsync("tools/call", callArguments);
    mcp.Add(clock.Elapsed.TotalMilliseconds);
    if (answer.Contains("\"isError\":true", StringComparison.Ordinal))
    {
        throw new InvalidOperationException("tool call failed: " + answer);
    }
}

var peakRssKb = live.PeakRssKb();

using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri(stub.BaseUrl + "/") };
for (var i = 0; i < 100; i++)
{
    await (await http.GetAsync($"api-keys/{KeyId}")).Content.ReadAsStringAsync();
}

var direct = new List<double>(calls);
for (var i = 0; i < calls; i++)
{
    var clock = Stopwatch.StartNew();
    using var response = await http.GetAsync($"api-keys/{KeyId}");
    await response.Content.ReadAsStringAsync();
    direct.Add(clock.Elapsed.TotalMilliseconds);
}

Console.WriteLine("| server | initialize, median of {0} (ms) | tools/list (bytes, all / 4 seed tools) | call p50 / p99 (ms) | direct HTTP p50 / p99 (ms) | added p50 (ms) | peak RSS after {1} calls (MB) |", starts, calls);
Console.WriteLine("|---|---|---|---|---|---|---|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {Path.GetFileName(server)} | {Percentile(startTimes, 50):0.0} | {listBytes} / {seedBytes} | {Percentile(mcp, 50):0.00} / {Percentile(mcp, 99):0.00} | {Percentile(direct, 50):0.00} / {Percentile(direct, 99):0.00} | {Percentile(mcp, 50) - Percentile(direct, 50):0.00} | {peakRssKb / 1024.0:0.0} |"));
return 0;

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
    return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
}

static int SeedToolBytes(string listAnswer)
{
    using var document = JsonDocument.Parse(listAnswer);
    string[] seeds = ["create_api_key", "update_api_key", "get_api_key", "create_virtual_key"];
    return document.RootElement.GetProperty("result").GetProperty("tools").EnumerateArray()
        .Where(tool => seeds.Contains(tool.GetProperty("name").GetString()))
        .Sum(tool => Encoding.UTF8.GetByteCount(tool.GetRawText()));
}

/// <summary>One server process spoken to in raw JSON-RPC lines, as a client would.</summary>
internal sealed class ServerSession : IAsyncDisposable
{
    private readonly Process _process;
    private int _nextId;

    private ServerSession(Process process) => _process = process;

    public static ServerSession Start(string server, string baseUrl, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(server.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : server)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (server.EndsWith(".dll", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(server);
        }

        start.Environment["PORTKEY_API_KEY"] = "pk-bench-0000000000";
        start.Environment["PORTKEY_BASE_URL"] = baseUrl;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new ServerSession(process);
    }

    public async Task InitializeAsync()
    {
        await RequestAsync("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}""");
        await _process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await _process.StandardInput.FlushAsync();
    }

    public async Task<string> RequestAsync(string method, string parameters)
    {
        var id = ++_nextId;
        await _process.StandardInput.WriteLineAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""");
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("server closed stdout");
            if (line.Contains($"\"id\":{id},", StringComparison.Ordinal) || line.EndsWith($"\"id\":{id}}}", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    /// <summary>VmHWM: the most resident memory the process ever had.</summary>
    public long PeakRssKb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

/// <summary>A keep-alive HTTP/1.1 responder on 127.0.0.1 that answers every request with a recorded API key.</summary>
internal sealed class StubUpstream : IDisposable
{
    private const string Body = """{"id":"60571396-bd81-4e58-8c82-4858930ede0b","key":"z1*****3AX","name":"gira-app","description":null,"type":"workspace-service","organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","user_id":null,"status":"active","created_at":"2026-05-03T17:08:55.000Z","last_updated_at":"2026-05-03T17:08:55.000Z","creation_mode":"api","rate_limits":[],"usage_limits":null,"reset_usage":null,"expires_at":null,"last_reset_at":null,"expiry_enforced":0,"next_usage_reset_at":null,"allow_config_override":null,"api_key_defaults_id":null,"scopes":["prompts.render","prompts.read","completions.write"],"defaults":{"metadata":null,"config_id":null,"allow_config_override":false},"object":"api-key"}""";

    private static readonly byte[] s_response = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(Body)}\r\n\r\n{Body}");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public StubUpstream()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[16 * 1024];
            var pending = new StringBuilder();
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    int end;
                    while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        pending.Remove(0, end + 4);
                        await stream.WriteAsync(s_response, _stop.Token);
                    }
                }
            }
            catch (Exception)
            {
                // connection closed
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}

/// <summary>
/// What each toolset costs every conversation: the UTF-8 bytes of its tools in tools/list, as sent, beside another
/// server's bytes for the same tools (a reference file of per-tool numbers, measured once from that server).
/// </summary>
internal static class ToolBytes
{
    private static readonly string[] s_toolsets = ["keys", "workspaces", "users", "integrations", "providers", "secret-references", "limits", "audit"];

    public static async Task<int> RunAsync(string server, string referencePath)
    {
        using var reference = JsonDocument.Parse(await File.ReadAllTextAsync(referencePath));
        var theirs = reference.RootElement.GetProperty("tool_bytes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        using var stub = new StubUpstream();
        Console.WriteLine("| toolset | tools | this server (bytes) | portkey-admin-mcp 0.12.0, same tools (bytes) | ratio |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var toolsets in s_toolsets.Append("keys,workspaces,users").Append("all"))
        {
            await using var session = ServerSession.Start(server, stub.BaseUrl, new Dictionary<string, string> { ["PORTKEY_MCP_TOOLSETS"] = toolsets });
            await session.InitializeAsync();
            using var list = JsonDocument.Parse(await session.RequestAsync("tools/list", "{}"));
            var ours = list.RootElement.GetProperty("result").GetProperty("tools").EnumerateArray()
                .ToDictionary(tool => tool.GetProperty("name").GetString()!, tool => Encoding.UTF8.GetByteCount(tool.GetRawText()));
            var missing = ours.Keys.Where(name => !theirs.ContainsKey(name)).ToList();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine($"{toolsets}: no reference for {string.Join(", ", missing)}");
            }

            var (mine, other) = (ours.Values.Sum(), ours.Keys.Where(theirs.ContainsKey).Sum(name => theirs[name]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(toolsets == "keys,workspaces,users" ? "default (keys, workspaces, users)" : toolsets)} | {ours.Count} | {mine} | {other} | {(double)mine / other:0.00} |"));
        }

        return 0;
    }
}
