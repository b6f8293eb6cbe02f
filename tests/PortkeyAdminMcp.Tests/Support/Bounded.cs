namespace PortkeyAdminMcp.Tests.Support;

/// <summary>Every wait in a test is bounded: a hung call fails the test instead of hanging the run.</summary>
public static class Bounded
{
    public static CancellationToken Token(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Polls until <paramref name="done"/> holds or 5 s have passed; the caller asserts the state it waited for.</summary>
    public static async Task UntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 500 && !done(); i++)
        {
            await Task.Delay(10);
        }
    }
}
