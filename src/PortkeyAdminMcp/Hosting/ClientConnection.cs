using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Protocol;

namespace PortkeyAdminMcp.Hosting;

/// <summary>
/// Signals when the client has gone (stdin closed). The SDK waits for every in-flight handler before it ends
/// the session, so a call still waiting on Portkey would hold the process open for its whole timeout; calls
/// link this token and give up instead.
/// </summary>
public sealed class ClientConnection : IDisposable
{
    private readonly CancellationTokenSource _gone = new();

    public CancellationToken Gone => _gone.Token;

    /// <summary>Set when writing to stdout failed: the client closed its end, so nothing more is written.</summary>
    public bool OutputBroken { get; private set; }

    public void MarkGone()
    {
        try
        {
            _gone.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The host is already shutting down.
        }
    }

    public void MarkOutputBroken()
    {
        OutputBroken = true;
        MarkGone();
    }

    public void Dispose() => _gone.Dispose();

    /// <summary>Watches the transport's inbound channel; its completion means the client closed its end.</summary>
    internal sealed class Watcher(IServiceProvider services, ClientConnection connection) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (services.GetService<ITransport>() is not { } transport)
            {
                return;
            }

            try
            {
                await transport.MessageReader.Completion.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // A faulted channel also means the client is gone.
            }

            connection.MarkGone();
        }
    }
}
