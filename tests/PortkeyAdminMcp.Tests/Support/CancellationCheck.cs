using ModelContextProtocol.Client;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>The cancellation contract, for any client: a cancelled call's HTTP request is closed, not left to time out.</summary>
public static class CancellationCheck
{
    public static async Task AssertCancellingClosesTheRequestAsync(McpClient client, SilentUpstream upstream, string tool, string argumentsJson)
    {
        using var cancel = new CancellationTokenSource();
        var call = client.CallToolAsync(tool, InProcessServer.Arguments(argumentsJson), cancellationToken: cancel.Token).AsTask();
        await Bounded.UntilAsync(() => upstream.RequestLines.Count > 0);
        Assert.Single(upstream.RequestLines);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        // The server hears notifications/cancelled and aborts the request: the stub sees its connection closed.
        await Bounded.UntilAsync(() => upstream.ClosedByClient > 0);
        Assert.Equal(1, upstream.ClosedByClient);
    }
}
