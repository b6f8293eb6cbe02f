using System.Collections.Concurrent;
using System.Diagnostics;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// The built executable at Trace level with every byte it says kept: stdout (as the client reads it), stderr, and the
/// approval prompts it sends (all accepted). For sweeps that look for secrets in everything a server emits.
/// </summary>
public sealed class TracedServer(Process process, TeeStream stdout, McpClient client, ConcurrentQueue<string> stderr, List<string> prompts) : IAsyncDisposable
{
    public McpClient Client => client;

    public TeeStream Stdout => stdout;

    public IReadOnlyCollection<string> Stderr => stderr;

    /// <summary>What the approval dialog was asked, in order.</summary>
    public IReadOnlyList<string> Prompts => prompts;

    public static async Task<TracedServer> StartAsync(Dictionary<string, string?> environment)
    {
        environment["Logging__LogLevel__Default"] = "Trace";
        var stderr = new ConcurrentQueue<string>();
        var prompts = new List<string>();
        var process = ServerExecutable.Start(environment);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                stderr.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var stdout = new TeeStream(process.StandardOutput.BaseStream);
        var client = await McpClient.CreateAsync(
            new StreamClientTransport(process.StandardInput.BaseStream, stdout),
            new McpClientOptions
            {
                Handlers = new McpClientHandlers
                {
                    ElicitationHandler = (request, _) =>
                    {
                        prompts.Add(request?.Message ?? string.Empty);
                        return ValueTask.FromResult(new ElicitResult { Action = "accept" });
                    },
                },
            },
            cancellationToken: Bounded.Token());
        return new TracedServer(process, stdout, client, stderr, prompts);
    }

    /// <summary>Like a client quitting: stdin closes and the server exits, flushing whatever it still had to say.</summary>
    public async Task ExitAsync()
    {
        await client.DisposeAsync();
        process.StandardInput.Close();
        await process.WaitForExitAsync(Bounded.Token());
    }

    public async ValueTask DisposeAsync()
    {
        await client.DisposeAsync();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(Bounded.Token());
        process.Dispose();
    }
}
