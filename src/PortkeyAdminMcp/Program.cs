using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortkeyAdminMcp;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Hosting;
using PortkeyAdminMcp.Security;

// Empty builder: no appsettings.json from the client's working directory, no console logger on stdout.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);

var secrets = new SecretRegistry();
builder.Services.AddSingleton(secrets);
builder.Logging
    .SetMinimumLevel(LogLevel.Information)
    .AddConfiguration(builder.Configuration.GetSection("Logging"))
    .AddProvider(new RedactingStderrLoggerProvider(secrets));

builder.Services.AddPortkeyAdminMcp().WithGuardedStdioTransport();
// A backstop: nothing this server does on shutdown needs long, and a client waits for the process to end.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));

if (!Console.IsInputRedirected)
{
    Console.Error.WriteLine(
        $"{ServerIdentity.Name} {ServerIdentity.Version}: an MCP server that speaks JSON-RPC on stdin/stdout. " +
        "Add it to an MCP client (Claude Desktop, Cursor, VS Code, Claude Code) rather than typing here; see README.md. Ctrl+C to stop.");
}

using var host = builder.Build();
try
{
    // Every option registered with ValidateOnStart, checked before the transport starts, so a bad setting is one line
    // on stderr and nothing else; a new setting cannot be forgotten here.
    host.Services.GetRequiredService<IStartupValidator>().Validate();
}
catch (Exception exception) when (exception is OptionsValidationException or AggregateException)
{
    var failures = exception is AggregateException aggregate
        ? aggregate.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)
        : ((OptionsValidationException)exception).Failures;
    // Distinct: a validator that reads another option (the secret settings read the API key's) meets its failure too.
    Console.Error.WriteLine($"{ServerIdentity.Name}: cannot start: {secrets.Scrub(string.Join("; ", failures.Distinct()))}");
    return 2;
}

// Log lines may name the server's own tools, and no other.
ProtocolLogSummary.RecognizeTools(host.Services.GetRequiredService<PortkeyAdminMcp.Calls.ToolCatalog>().Names);
await host.RunAsync();
return 0;
