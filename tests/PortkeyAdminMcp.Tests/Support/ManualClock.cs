namespace PortkeyAdminMcp.Tests.Support;

/// <summary>A clock that moves only when a test moves it, so counter windows are exact instead of racing the wall clock.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
