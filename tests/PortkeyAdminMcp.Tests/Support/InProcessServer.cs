using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// The real server composition (<see cref="ServerSetup.AddPortkeyAdminMcp"/>) on in-memory pipes, driven by the
/// SDK's own client. Logs are captured at Trace through the production redacting logger.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly StringWriter _log;

    private InProcessServer(IHost host, McpClient client, StringWriter log)
    {
        _host = host;
        Client = client;
        _log = log;
    }

    public McpClient Client { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Everything the server logged, as it would have appeared on stderr.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<InProcessServer> StartAsync(
        Dictionary<string, string?> settings, McpClientOptions? clientOptions = null, TimeProvider? clock = null, Action<IServiceCollection>? replace = null)
    {
        var clientToServer = new Pipe();
        var serverToClient = new Pipe();
        var log = new StringWriter();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var secrets = new SecretRegistry();
        builder.Services.AddSingleton(secrets);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new RedactingStderrLoggerProvider(secrets, TextWriter.Synchronized(log)));
        builder.Services.AddPortkeyAdminMcp().WithStreamServerTransport(clientToServer.Reader.AsStream(), serverToClient.Writer.AsStream());
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        replace?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(Bounded.Token());

        var client = await McpClient.CreateAsync(
            new StreamClientTransport(clientToServer.Writer.AsStream(), serverToClient.Reader.AsStream()),
            clientOptions,
            cancellationToken: Bounded.Token());
        return new InProcessServer(host, client, log);
    }

    public static Task<InProcessServer> StartAsync(
        PortkeyStub stub, Dictionary<string, string?>? extra = null, McpClientOptions? clientOptions = null, TimeProvider? clock = null, Action<IServiceCollection>? replace = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = stub.BaseUrl,
            ["PORTKEY_TIMEOUT_SECONDS"] = "5",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return StartAsync(settings, clientOptions, clock, replace);
    }

    /// <summary>Calls a tool; every successful structured result is also checked against the tool's published output schema.</summary>
    public async Task<CallToolResult> CallAsync(string tool, string argumentsJson)
    {
        var result = await Client.CallToolAsync(tool, Arguments(argumentsJson), cancellationToken: Bounded.Token());
        await AssertMatchesOutputSchemaAsync(tool, result);
        return result;
    }

    private Dictionary<string, McpClientTool>? _published;

    /// <summary>Checks a successful result against the output schema this server published for the tool, as its client received it.</summary>
    public async Task AssertMatchesOutputSchemaAsync(string tool, CallToolResult result)
    {
        _published ??= (await Client.ListToolsAsync(cancellationToken: Bounded.Token())).ToDictionary(t => t.Name);
        AssertMatchesOutputSchema(_published.TryGetValue(tool, out var published) ? published.ProtocolTool : null, result);
    }

    /// <summary>Checks a successful result against a published tool's output schema, with a real JSON Schema validator.</summary>
    public static void AssertMatchesOutputSchema(Tool? published, CallToolResult result)
    {
        if (result.IsError == true || published is null)
        {
            return;
        }

        Assert.NotNull(result.StructuredContent);
        Catalog.AssertMatchesSchema(published.Name, published.OutputSchema!.Value, result.StructuredContent.Value);
    }

    public static Dictionary<string, object?> Arguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
    }

    public static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
