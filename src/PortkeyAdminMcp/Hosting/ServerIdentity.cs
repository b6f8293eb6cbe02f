using System.Reflection;

namespace PortkeyAdminMcp.Hosting;

/// <summary>The name and version this server reports to clients and in its User-Agent.</summary>
public static class ServerIdentity
{
    public const string Name = "portkey-admin-mcp";
    public const string Title = "Portkey Admin";

    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var informational = typeof(ServerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return "0.0.0";
        }

        // Source Link appends "+<commit>"; clients and the package version want the plain version.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
