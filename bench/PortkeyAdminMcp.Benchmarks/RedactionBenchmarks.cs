using BenchmarkDotNet.Attributes;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Benchmarks;

/// <summary>Every log line passes through the scrubber; this is its cost per line.</summary>
[MemoryDiagnoser]
public class RedactionBenchmarks
{
    private const string InfoLine = "12:00:00.000 info ModelContextProtocol.Server.McpServer: Server (portkey-admin-mcp 0.1.0) method 'tools/call' request handler completed in 3.1ms.";

    private const string TraceLine = """12:00:00.000 trce ModelContextProtocol.Server.StdioServerTransport: Transport received message: {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_virtual_key","arguments":{"key":"sk-proj-abcdefghijklmnop","name":"openai-prod","provider":"openai"}}}""";

    private readonly SecretRegistry _secrets = new();

    [Params(1, 20)]
    public int KnownSecrets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < KnownSecrets; i++)
        {
            _secrets.AddServerSecret($"pk-live-secret-{i:D4}-abcdefghijkl");
        }
    }

    [Benchmark]
    public string PlainLogLine() => _secrets.Scrub(InfoLine);

    [Benchmark]
    public string JsonRpcTraceLine() => _secrets.Scrub(TraceLine);
}
