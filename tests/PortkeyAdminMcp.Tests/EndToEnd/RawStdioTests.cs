using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>The executable at the byte level: what it writes to stdout and stderr, and how it exits.</summary>
public class RawStdioTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    [Fact]
    public async Task Stdout_carries_only_json_rpc_and_closing_stdin_ends_the_process_cleanly()
    {
        using var portkey = new PortkeyStub();
        portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        using var process = ServerExecutable.Start(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = portkey.BaseUrl,
            ["Logging__LogLevel__Default"] = "Trace",
        });
        var stderrTask = process.StandardError.ReadToEndAsync();

        var lines = new List<string>();
        async Task<JsonElement> SendAsync(string message, int id)
        {
            await process.StandardInput.WriteLineAsync(message);
            await process.StandardInput.FlushAsync();
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(Bounded.Token(30)) ?? throw new InvalidOperationException("stdout closed");
                lines.Add(line);
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("id", out var responseId) && responseId.GetInt32() == id)
                {
                    return document.RootElement.Clone();
                }
            }
        }

        await SendAsync(Initialize, 1);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await SendAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", 2);
        var call = await SendAsync($$$$"""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_api_key","arguments":{"id":"{{{{LiveApiKey.Id}}}}"}}}""", 3);
        Assert.Equal("gira-app", call.GetProperty("result").GetProperty("structuredContent").GetProperty("name").GetString());

        process.StandardInput.Close();
        var rest = await process.StandardOutput.ReadToEndAsync(Bounded.Token(30));
        lines.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await process.WaitForExitAsync(Bounded.Token(30));

        Assert.Equal(0, process.ExitCode);
        Assert.All(lines, line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal("2.0", document.RootElement.GetProperty("jsonrpc").GetString());
        });
        var stderr = await stderrTask;
        Assert.Contains("trce", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(PortkeyStub.ApiKey, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_file_mode_with_an_env_reference_no_secret_crosses_stdout_or_stderr()
    {
        const string oneTime = "pk-live-E2eFileModeSecret9";
        const string providerKey = "sk-proj-E2eFromEnvironment9";
        var folder = Path.Combine(Path.GetTempPath(), "pk-e2e-" + Guid.NewGuid().ToString("N"));
        using var portkey = new PortkeyStub();
        portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{oneTime}}"}""");
        portkey.Reply("POST", "virtual-keys", 200, """{"slug":"oa-1"}""");
        using var process = ServerExecutable.Start(new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = portkey.BaseUrl,
            ["PORTKEY_MCP_SECRET_OUTPUT"] = "file",
            ["PORTKEY_MCP_SECRET_DIR"] = folder,
            ["PORTKEY_MCP_KEY_ENV_ALLOW"] = "OPENAI_API_KEY",
            ["OPENAI_API_KEY"] = providerKey,
            ["Logging__LogLevel__Default"] = "Trace",
        });
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = new System.Text.StringBuilder();

        async Task<string> SendAsync(string message, int id)
        {
            await process.StandardInput.WriteLineAsync(message);
            await process.StandardInput.FlushAsync();
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(Bounded.Token(30)) ?? throw new InvalidOperationException("stdout closed");
                stdout.AppendLine(line);
                if (line.Contains($"\"id\":{id}", StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        await SendAsync(Initialize, 1);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        var created = await SendAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_api_key","arguments":{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}}}""", 2);
        Assert.Contains("key_file", created, StringComparison.Ordinal);
        await SendAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_virtual_key","arguments":{"key":"${env:OPENAI_API_KEY}","name":"oa","provider":"openai"}}}""", 3);
        process.StandardInput.Close();
        stdout.Append(await process.StandardOutput.ReadToEndAsync(Bounded.Token(30)));
        await process.WaitForExitAsync(Bounded.Token(30));

        PortkeyStub.AssertJsonEqual($$"""{"name":"oa","provider":"openai","key":"{{providerKey}}"}""", PortkeyStub.Body(portkey.Single("POST", "virtual-keys")));
        Assert.Equal(oneTime + "\n", await File.ReadAllTextAsync(Path.Combine(folder, LiveApiKey.Id + ".key")));
        var errors = await stderr;
        foreach (var secret in new[] { oneTime, providerKey, PortkeyStub.ApiKey })
        {
            Assert.DoesNotContain(secret, stdout.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, errors, StringComparison.Ordinal);
        }

        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("http://api.portkey.ai/v1", "plain http to 'api.portkey.ai'")]
    [InlineData("ftp://example.com/v1", "got scheme 'ftp'")]
    [InlineData("api.portkey.ai/v1", "got 'api.portkey.ai/v1'")]
    [InlineData("https://user:pw@api.portkey.ai/v1", "must not carry credentials")]
    public async Task A_bad_base_url_stops_start_up_with_a_one_line_reason(string baseUrl, string reason)
    {
        var (exitCode, stderr) = await RunToExitAsync(new() { ["PORTKEY_BASE_URL"] = baseUrl, ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey });
        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("portkey-admin-mcp: cannot start: PORTKEY_BASE_URL", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_timeout_stops_start_up_with_a_one_line_reason()
    {
        var (exitCode, stderr) = await RunToExitAsync(new() { ["PORTKEY_TIMEOUT_SECONDS"] = "soon" });
        Assert.NotEqual(0, exitCode);
        Assert.Equal("portkey-admin-mcp: cannot start: PORTKEY_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 600 (got 'soon')", stderr.Trim());
    }

    [Theory]
    [InlineData("PORTKEY_MCP_SECRET_OUTPUT", "clipboard", "PORTKEY_MCP_SECRET_OUTPUT must be inline or file (got 'clipboard')")]
    [InlineData("PORTKEY_MCP_READ_ONLY", "maybe", "PORTKEY_MCP_READ_ONLY must be true or false (got 'maybe')")]
    [InlineData("PORTKEY_MCP_TOOLSETS", "keys,workspace",
        "PORTKEY_MCP_TOOLSETS names unknown toolsets 'workspace' (did you mean 'workspaces'?); known: keys, workspaces, users, integrations, providers, secret-references, limits, audit, all")]
    [InlineData("PORTKEY_MCP_KEY_ENV_ALLOW", "OPENAI_API_KEY,not a name", "PORTKEY_MCP_KEY_ENV_ALLOW lists 'not a name', which is not an environment variable name")]
    public async Task A_bad_secret_setting_stops_start_up_with_a_one_line_reason(string variable, string value, string reason)
    {
        var (exitCode, stderr) = await RunToExitAsync(new() { [variable] = value });
        Assert.NotEqual(0, exitCode);
        Assert.Equal($"portkey-admin-mcp: cannot start: {reason}", stderr.Trim());
    }

    [Fact]
    public async Task A_policy_file_with_mistakes_stops_start_up_listing_every_one_on_one_line()
    {
        var policy = Path.Combine(Path.GetTempPath(), $"pk-bad-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(policy, """
            version: "1"
            tools:
              delete_api_kye:
                rules:
                  - {name: no deletions, action: deny}
              create_api_key:
                rules:
                  - {name: limit, rate_limit: 5/week}
            """);
        try
        {
            var (exitCode, stderr) = await RunToExitAsync(new() { ["PORTKEY_MCP_POLICY"] = policy });
            Assert.Equal(2, exitCode);
            Assert.Equal(
                $"portkey-admin-mcp: cannot start: PORTKEY_MCP_POLICY: policy file {policy} has 2 problems: " +
                "line 3: tools.delete_api_kye: this server has no tool named \"delete_api_kye\"; did you mean \"delete_api_key\"?; " +
                "line 8: tools.create_api_key.rules[0].rate_limit: window must be \"minute\", \"hour\", or \"day\", got \"week\"",
                stderr.Trim());
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Theory]
    [InlineData("PORTKEY_MCP_POLICY", "/nonexistent/policy.yaml", "PORTKEY_MCP_POLICY: policy file /nonexistent/policy.yaml has 1 problem: file: cannot be read (DirectoryNotFoundException: Could not find a part of the path '/nonexistent/policy.yaml'.)")]
    [InlineData("PORTKEY_MCP_POLICY_STATE", "postgres://db", "PORTKEY_MCP_POLICY_STATE: must be memory, sqlite:<path> or redis://host:port, got 'postgres://db'")]
    [InlineData("PORTKEY_MCP_POLICY_STATE", "sqlite:", "PORTKEY_MCP_POLICY_STATE: sqlite: needs a file path, e.g. sqlite:/var/lib/portkey-mcp/counters.db")]
    [InlineData("PORTKEY_MCP_AUDIT_LOG", "/proc/audit.jsonl", "PORTKEY_MCP_AUDIT_LOG: cannot append to '/proc/audit.jsonl'")]
    public async Task A_bad_policy_setting_stops_start_up_with_a_one_line_reason(string variable, string value, string reason)
    {
        var (exitCode, stderr) = await RunToExitAsync(new() { [variable] = value });
        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"portkey-admin-mcp: cannot start: {reason}", line, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr)> RunToExitAsync(Dictionary<string, string?> environment)
    {
        using var process = ServerExecutable.Start(environment);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(Bounded.Token(30));
        Assert.Equal(string.Empty, await stdout);
        return (process.ExitCode, await stderr);
    }
}
