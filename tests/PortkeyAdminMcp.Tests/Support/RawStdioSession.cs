using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// The built server spoken to in raw JSON-RPC lines, for what the SDK's client cannot say (protocol 2026-07-28,
/// a client that never answers). Every read is bounded; stderr lines can be awaited as events.
/// </summary>
public sealed class RawStdioSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderrSeen = [];

    private RawStdioSession(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } data)
            {
                _stderr.Writer.TryWrite(data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public static RawStdioSession Start(IDictionary<string, string?> environment) => new(ServerExecutable.Start(environment));

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends a request and reads lines until the response with its id, skipping notifications.</summary>
    public async Task<JsonElement> RequestAsync(string line, int id)
    {
        await SendAsync(line);
        while (true)
        {
            var received = await _process.StandardOutput.ReadLineAsync(Bounded.Token(30)) ?? throw new InvalidOperationException("the server closed stdout");
            using var document = JsonDocument.Parse(received);
            if (document.RootElement.TryGetProperty("id", out var responseId) && responseId.ValueKind == JsonValueKind.Number && responseId.GetInt32() == id)
            {
                return document.RootElement.Clone();
            }
        }
    }

    /// <summary>Waits for a stderr line containing <paramref name="text"/>: an event the server logs, not a sleep.</summary>
    public async Task<string> StderrLineAsync(string text)
    {
        var seen = _stderrSeen.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
        if (seen is not null)
        {
            return seen;
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var line in _stderr.Reader.ReadAllAsync(bound.Token))
        {
            _stderrSeen.Add(line);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("stderr closed");
    }

    /// <summary>Closes stdin, as a client does when it goes, and waits (bounded) for the process to exit.</summary>
    public async Task<int> CloseAsync()
    {
        _process.StandardInput.Close();
        _ = _process.StandardOutput.ReadToEndAsync();
        await _process.WaitForExitAsync(Bounded.Token(30));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(Bounded.Token(30));
        }

        _process.Dispose();
    }
}
