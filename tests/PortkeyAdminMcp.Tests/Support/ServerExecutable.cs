using System.Diagnostics;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// The built server as a user's MCP client launches it. By default the JIT build next to the sources;
/// PORTKEY_MCP_TEST_SERVER points the end-to-end suite at another build (the Native AOT binary).
/// </summary>
public static class ServerExecutable
{
    public const string OverrideVariable = "PORTKEY_MCP_TEST_SERVER";

    public static string Path { get; } = Locate();

    /// <summary>Command and leading arguments: an apphost or native binary runs directly, a .dll through dotnet.</summary>
    public static (string Command, string[] Arguments) Command =>
        Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [Path]) : (Path, []);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } configured)
        {
            Assert.True(File.Exists(configured), $"{OverrideVariable} points at {configured}, which does not exist");
            return System.IO.Path.GetFullPath(configured);
        }

        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDirectory.Parent?.Name ?? "Debug";
        var root = testDirectory;
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "PortkeyAdminMcp.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var output = System.IO.Path.Combine(root.FullName, "src", "PortkeyAdminMcp", "bin", configuration, "net10.0");
        var apphost = System.IO.Path.Combine(output, OperatingSystem.IsWindows() ? "PortkeyAdminMcp.exe" : "PortkeyAdminMcp");
        return File.Exists(apphost) ? apphost : System.IO.Path.Combine(output, "PortkeyAdminMcp.dll");
    }

    /// <summary>Connects the SDK's own client to a fresh server process, as Claude Desktop would.</summary>
    public static Task<ModelContextProtocol.Client.McpClient> ConnectAsync(
        Dictionary<string, string?> environment, Action<string> stderrLine, ModelContextProtocol.Client.McpClientOptions? options = null)
    {
        var (command, arguments) = Command;
        var transport = new ModelContextProtocol.Client.StdioClientTransport(new ModelContextProtocol.Client.StdioClientTransportOptions
        {
            Name = "portkey-admin-mcp",
            Command = command,
            Arguments = arguments,
            EnvironmentVariables = environment,
            StandardErrorLines = stderrLine,
        });
        return ModelContextProtocol.Client.McpClient.CreateAsync(transport, options, cancellationToken: Bounded.Token());
    }

    /// <summary>Starts the server with redirected stdio and only the given environment (plus what a process needs to run).</summary>
    public static Process Start(IDictionary<string, string?> environment)
    {
        var (command, arguments) = Command;
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("PORTKEY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}
