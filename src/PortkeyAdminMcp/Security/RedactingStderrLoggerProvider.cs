using System.Text;
using Microsoft.Extensions.Logging;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// The only log sink: one line per entry on stderr (stdout belongs to JSON-RPC), every line scrubbed of the
/// server's secrets after formatting, exceptions included. The MCP SDK's own entries never carry message text:
/// at Trace it logs every JSON-RPC line whole, before any tool has looked at it, and nothing in that text says
/// reliably which part is secret (an agent may put a provider key in any field, under any spelling of any name).
/// Those values are replaced by a summary of the message — kind, id, method, tool, size — so no log level can
/// leak what an agent sent or what a result carries.
/// </summary>
public sealed class RedactingStderrLoggerProvider(SecretRegistry secrets, TextWriter? output = null) : ILoggerProvider
{
    private readonly TextWriter _output = output ?? Console.Error;
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            _output.Flush();
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception, bool showExceptionMessage = true)
    {
        var line = new StringBuilder(message.Length + category.Length + 32);
        line.Append(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(Label(level))
            .Append(' ')
            .Append(category)
            .Append(": ")
            .Append(message.ReplaceLineEndings(" "));
        if (exception is not null)
        {
            // Type and message only: stack traces add nothing for a client log reader and inner messages can echo input.
            line.Append(" [").Append(exception.GetType().Name);
            if (showExceptionMessage)
            {
                line.Append(": ").Append(exception.Message.ReplaceLineEndings(" "));
            }

            line.Append(']');
        }

        var scrubbed = secrets.Scrub(line.ToString());
        lock (_gate)
        {
            _output.WriteLine(scrubbed);
            _output.Flush();
        }
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private sealed class Logger(RedactingStderrLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            if (ProtocolLogSummary.Applies(category))
            {
                // An SDK exception is reduced to its type: its message may quote the message that caused it.
                provider.Write(logLevel, category, ProtocolLogSummary.Format(state, formatter, exception), exception, showExceptionMessage: false);
                return;
            }

            provider.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}
