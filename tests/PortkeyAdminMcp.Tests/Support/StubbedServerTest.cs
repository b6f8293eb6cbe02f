namespace PortkeyAdminMcp.Tests.Support;

/// <summary>A test class whose every test gets a fresh stand-in Portkey and an in-process server pointed at it.</summary>
public abstract class StubbedServerTest : IAsyncLifetime
{
    protected PortkeyStub Portkey { get; } = new();

    protected InProcessServer Server { get; private set; } = null!;

    /// <summary>Server settings beyond the stand-in's address and key (e.g. the toolsets a family needs).</summary>
    protected virtual Dictionary<string, string?>? Settings => null;

    public async Task InitializeAsync() => Server = await InProcessServer.StartAsync(Portkey, Settings);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Portkey.Dispose();
    }
}
