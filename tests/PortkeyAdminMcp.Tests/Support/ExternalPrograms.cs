namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// Tests that need a program outside the .NET SDK (redis-server, Chromium) are skipped, with the reason, where it is
/// absent, so <c>dotnet test</c> passes on a machine with only the SDK. <c>.ci/run</c> installs the programs and sets
/// <see cref="RequireVariable"/>, which turns every such skip into a failure.
/// </summary>
public static class ExternalPrograms
{
    public const string RequireVariable = "PORTKEY_MCP_TEST_REQUIRE_EXTERNAL";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true";

    /// <summary>The first of the candidates that exists, or null.</summary>
    public static string? Find(string? configured, params string[] candidates) =>
        configured is { Length: > 0 } ? configured : candidates.FirstOrDefault(File.Exists);

    /// <summary>Skips the calling test when the program is missing, unless CI requires it, which fails the test instead.</summary>
    public static void SkipUnless(string? path, string program, string install)
    {
        if (path is not null && File.Exists(path))
        {
            return;
        }

        var reason = $"{program} is not installed ({install})";
        Assert.False(Required, $"{reason}, and {RequireVariable} makes the tests that need it mandatory");
        throw new SkipException(reason);
    }
}
