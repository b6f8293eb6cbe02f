using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PortkeyAdminMcp.Approvals;

/// <summary>Opens the approval page in the user's browser (PORTKEY_MCP_APPROVAL_OPEN=true).</summary>
public interface IBrowserOpener
{
    /// <summary>False when no opener could be started.</summary>
    bool TryOpen(string url);
}

/// <summary>
/// The desktop's own opener (xdg-open, open, start). Its output is captured, never inherited: this process's stdout
/// belongs to the MCP protocol.
/// </summary>
public sealed partial class DesktopBrowserOpener(ILogger<DesktopBrowserOpener> logger) : IBrowserOpener
{
    public bool TryOpen(string url)
    {
        var (command, arguments) = OperatingSystem.IsWindows() ? ("cmd", new[] { "/c", "start", "", url })
            : OperatingSystem.IsMacOS() ? ("open", new[] { url })
            : ("xdg-open", new[] { url });
        try
        {
            var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
            return process is not null;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            LogOpenFailed(logger, command);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open the approval page with {Command}: the call is refused, nothing sent")]
    private static partial void LogOpenFailed(ILogger logger, string command);
}
