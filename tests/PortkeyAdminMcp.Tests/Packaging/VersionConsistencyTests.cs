using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Hosting;

namespace PortkeyAdminMcp.Tests.Packaging;

/// <summary>One version everywhere: a mismatch fails MCP Registry validation and confuses every dnx user.</summary>
public class VersionConsistencyTests
{
    private static readonly string s_root = Support.Repository.Root;

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([s_root, .. path]));

    private static string BuildVersion() =>
        Regex.Match(Read("Directory.Build.props"), "<Version>([^<]+)</Version>").Groups[1].Value;

    [Fact]
    public void Server_json_package_and_readme_carry_the_build_version()
    {
        var version = BuildVersion();
        Assert.Matches(@"^\d+\.\d+\.\d+", version);

        using var server = JsonDocument.Parse(Read("src", "PortkeyAdminMcp", ".mcp", "server.json"));
        Assert.Equal(version, server.RootElement.GetProperty("version").GetString());
        var package = Assert.Single(server.RootElement.GetProperty("packages").EnumerateArray());
        Assert.Equal(version, package.GetProperty("version").GetString());
        Assert.Equal("PortkeyAdminMcp", package.GetProperty("identifier").GetString());

        var readme = Read("README.md");
        var readmeVersions = Regex.Matches(readme, @"PortkeyAdminMcp""?,? ""?--version""?,? ""?(\d+\.\d+\.\d+[^""\s]*)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(readmeVersions);
        Assert.All(readmeVersions, v => Assert.Equal(version, v));
        Assert.Equal(version, ServerIdentity.Version);
    }

    [Fact]
    public void Readme_names_the_registry_entry_of_server_json()
    {
        using var server = JsonDocument.Parse(Read("src", "PortkeyAdminMcp", ".mcp", "server.json"));
        var name = server.RootElement.GetProperty("name").GetString();
        Assert.Contains($"mcp-name: {name}", Read("README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_json_declares_every_environment_variable_the_server_reads()
    {
        using var server = JsonDocument.Parse(Read("src", "PortkeyAdminMcp", ".mcp", "server.json"));
        var declared = server.RootElement.GetProperty("packages")[0].GetProperty("environmentVariables").EnumerateArray()
            .Select(v => v.GetProperty("name").GetString()!).ToHashSet();
        var read = Regex.Matches(string.Join('\n', Directory.GetFiles(Path.Combine(s_root, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText)),
            "\"(PORTKEY_[A-Z_]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Subset(declared, read);
    }

    [Fact]
    public void Project_is_packed_as_a_dotnet_tool_and_mcp_server()
    {
        var project = Read("src", "PortkeyAdminMcp", "PortkeyAdminMcp.csproj");
        Assert.Contains("<PackAsTool>true</PackAsTool>", project, StringComparison.Ordinal);
        Assert.Contains("<PackageType>McpServer</PackageType>", project, StringComparison.Ordinal);
        Assert.Contains("<ToolCommandName>portkey-admin-mcp</ToolCommandName>", project, StringComparison.Ordinal);
    }
}
