namespace PortkeyAdminMcp.Tests.Support;

/// <summary>Every wait in a test is bounded: a hung call fails the test instead of hanging the run.</summary>
public static class Bounded
{
    public static CancellationToken Token(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
