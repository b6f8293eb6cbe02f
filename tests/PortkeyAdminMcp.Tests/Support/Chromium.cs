using Microsoft.Playwright;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// The system's Chromium, headless, driven by Playwright for .NET: browsers cannot be downloaded here, so Playwright is
/// pointed at the installed one. Without it the browser tests are skipped (<see cref="ExternalPrograms"/>); .ci/run
/// installs Debian's chromium; locally: apt-get install chromium (or set PORTKEY_MCP_TEST_CHROMIUM).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private static readonly string? s_executable = ExternalPrograms.Find(
        Environment.GetEnvironmentVariable("PORTKEY_MCP_TEST_CHROMIUM"),
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/opt/google/chrome/chrome");

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Launches the browser, or skips the calling test when none is installed (fails it under CI).</summary>
    public static async Task<Chromium> LaunchAsync()
    {
        ExternalPrograms.SkipUnless(s_executable, "Chromium", "apt-get install chromium, or set PORTKEY_MCP_TEST_CHROMIUM");
        // Expectations wait for the page to settle after a click; bounded like every other wait.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = s_executable,
                Headless = true,
                // Every Playwright wait is bounded by this, so a page that never answers fails the test instead of hanging it.
                Timeout = 30_000,
                // No sandbox: CI runs as root in a container. Nothing here talks to anything but 127.0.0.1.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page in its own context, JavaScript on or off, every action bounded.</summary>
    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>One browser for a test class, launched on the first page a test asks for (so a skipped class launches none).</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private Chromium? _chromium;

    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        _chromium ??= await Chromium.LaunchAsync();
        return await _chromium.NewPageAsync(javaScript);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
    }
}
