using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>
/// The built executable against hostile input of every kind: a client that closes stdin at once or vanishes, an
/// agent that hides a provider key in every field and under escaped names, settings and policy files meant to
/// break start-up. Each ends in a clear answer or a one-line start-up error.
/// </summary>
public class HostileInputStdioTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    private static Process Start(PortkeyStub portkey, Dictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_BASE_URL"] = portkey.BaseUrl,
        };
        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

        return ServerExecutable.Start(environment);
    }

    private static List<JsonElement> Answers(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        })];

    [Fact]
    public async Task A_request_written_just_before_stdin_closes_is_still_answered()
    {
        using var portkey = new PortkeyStub();
        using var process = Start(portkey);
        var stderr = process.StandardError.ReadToEndAsync();

        // printf '<initialize>\n' | server
        await process.StandardInput.WriteLineAsync(Initialize);
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync(Bounded.Token(30));
        await process.WaitForExitAsync(Bounded.Token(30));

        var answer = Assert.Single(Answers(stdout));
        Assert.Equal(1, answer.GetProperty("id").GetInt32());
        Assert.Equal("portkey-admin-mcp", answer.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain(" fail ", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_in_flight_when_stdin_closes_gets_its_answer_within_the_grace()
    {
        using var portkey = new PortkeyStub();
        portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json, r => r.WithDelay(TimeSpan.FromMilliseconds(500)));
        using var process = Start(portkey);
        _ = process.StandardError.ReadToEndAsync();

        await process.StandardInput.WriteLineAsync(Initialize);
        await process.StandardInput.WriteLineAsync(Initialized);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
        await process.StandardInput.WriteLineAsync($$$$"""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_api_key","arguments":{"id":"{{{{LiveApiKey.Id}}}}"}}}""");
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync(Bounded.Token(30));
        await process.WaitForExitAsync(Bounded.Token(30));

        var answers = Answers(stdout);
        Assert.Equal([1, 2, 3], answers.Select(a => a.GetProperty("id").GetInt32()).Order());
        var call = answers.Single(a => a.GetProperty("id").GetInt32() == 3);
        Assert.Equal("gira-app", call.GetProperty("result").GetProperty("structuredContent").GetProperty("name").GetString());
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_client_that_closes_stdin_while_an_approval_is_pending_is_let_go_and_the_call_audited()
    {
        using var portkey = new PortkeyStub();
        var directory = Directory.CreateTempSubdirectory("pk-pending-").FullName;
        try
        {
            var policy = Path.Combine(directory, "policy.yaml");
            var audit = Path.Combine(directory, "audit.jsonl");
            await File.WriteAllTextAsync(policy, """
                version: "1"
                tools:
                  delete_api_key:
                    rules:
                      - {name: one a day, rate_limit: 1/day}
                      - {name: ask, action: require_approval, approval_timeout: 1d}
                """);
            using var process = Start(portkey, new() { ["PORTKEY_MCP_POLICY"] = policy, ["PORTKEY_MCP_AUDIT_LOG"] = audit });
            var stderr = process.StandardError.ReadToEndAsync();

            await process.StandardInput.WriteLineAsync(Initialize.Replace("\"capabilities\":{}", "\"capabilities\":{\"elicitation\":{}}", StringComparison.Ordinal));
            await process.StandardInput.FlushAsync();
            // As a client does: the call waits for the handshake's answer, or it could be judged before the client's
            // capabilities are known (and go to the approval page instead of the dialog).
            Assert.Contains("\"id\":1", await process.StandardOutput.ReadLineAsync(Bounded.Token(30)), StringComparison.Ordinal);
            await process.StandardInput.WriteLineAsync(Initialized);
            await process.StandardInput.WriteLineAsync($$$$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_api_key","arguments":{"id":"{{{{LiveApiKey.Id}}}}"}}}""");
            await process.StandardInput.FlushAsync();
            // The server asks; this client never answers, and then goes away.
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(Bounded.Token(30));
            }
            while (line is not null && !line.Contains("elicitation/create", StringComparison.Ordinal));

            process.StandardInput.Close();
            _ = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync(Bounded.Token(30));

            Assert.Equal(0, process.ExitCode);
            Assert.Empty(portkey.Requests);
            var entry = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(File.ReadAllLines(audit)))!;
            Assert.Equal(("cancelled", "elicitation", "returned"), ((string?)entry["decision"], (string?)entry["approval_channel"], (string?)entry["quota"]));
            Assert.DoesNotContain(" fail ", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_not_logged_as_an_error()
    {
        using var portkey = new PortkeyStub();
        portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        using var process = Start(portkey);
        var stderr = process.StandardError.ReadToEndAsync();

        await process.StandardInput.WriteLineAsync(Initialize);
        await process.StandardInput.FlushAsync();
        Assert.NotNull(await process.StandardOutput.ReadLineAsync(Bounded.Token(30)));
        // The client goes away: its end of stdout closes first, then the server still has answers to write.
        process.StandardOutput.Close();
        await process.StandardInput.WriteLineAsync(Initialized);
        for (var id = 2; id < 6; id++)
        {
            await process.StandardInput.WriteLineAsync($$$$"""{"jsonrpc":"2.0","id":{{{{id}}}},"method":"tools/call","params":{"name":"get_api_key","arguments":{"id":"{{{{LiveApiKey.Id}}}}"}}}""");
        }

        await process.StandardInput.FlushAsync();
        process.StandardInput.Close();
        await process.WaitForExitAsync(Bounded.Token(30));

        Assert.Equal(0, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, line => line.Contains(" fail ", StringComparison.Ordinal) || line.Contains(" crit ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_trace_level_a_provider_key_hidden_in_any_field_or_under_an_escaped_name_never_reaches_stderr()
    {
        const string providerKey = "sk-proj-TraceHiddenProviderKey42";
        using var portkey = new PortkeyStub();
        portkey.Reply("POST", "virtual-keys", 200, """{"slug":"oa-1"}""");
        using var process = Start(portkey, new() { ["Logging__LogLevel__Default"] = "Trace" });
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = new StringBuilder();

        await process.StandardInput.WriteLineAsync(Initialize);
        await process.StandardInput.WriteLineAsync(Initialized);
        string[] calls =
        [
            // The key in name and note as well as in key; then under an escaped property name the server cannot read by name.
            $$$$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_virtual_key","arguments":{"key":"{{{{providerKey}}}}","name":"{{{{providerKey}}}}","note":"{{{{providerKey}}}}","provider":"openai"}}}""",
            $$$$"""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_virtual_key","arguments":{"\u006b\u0065\u0079":"{{{{providerKey}}}}","name":"oa","provider":"openai"}}}""",
            $$$$"""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"create_virtual_key","arguments":{"name":"oa","provider":"openai","kee":"{{{{providerKey}}}}"}}}""",
            $$$$"""{"jsonrpc":"2.0","id":5,"method":"{{{{providerKey}}}}","params":{}}""",
            $$$$"""{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"{{{{providerKey}}}}","arguments":{}}}""",
            $$"""not json {{providerKey}}""",
        ];
        foreach (var call in calls)
        {
            await process.StandardInput.WriteLineAsync(call);
        }

        process.StandardInput.Close();
        stdout.Append(await process.StandardOutput.ReadToEndAsync(Bounded.Token(30)));
        await process.WaitForExitAsync(Bounded.Token(30));

        var errors = await stderr;
        Assert.Contains("trce", errors, StringComparison.Ordinal);
        Assert.Contains("method=tools/call tool=create_virtual_key", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(providerKey, errors, StringComparison.Ordinal);
        Assert.DoesNotContain(PortkeyStub.ApiKey, errors, StringComparison.Ordinal);
        // The key went where it belongs: "\u006b\u0065\u0079" is "key" once decoded, so that call sent it. The call that
        // also put it in name and note was refused: Portkey would have stored it there in clear.
        Assert.Equal(1, portkey.Count("POST", "virtual-keys"));
        Assert.Contains("name: holds a value given as a secret", stdout.ToString(), StringComparison.Ordinal);
        Assert.All(portkey.Requests, r => Assert.Contains(providerKey, r.RequestMessage.Body!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PORTKEY_API_KEY", "PORTKEY_MCP_KEY_ENV_ALLOW lists PORTKEY_API_KEY: the server's own PORTKEY_* settings can never be sent as a provider key")]
    [InlineData("COPY_OF_ADMIN_KEY", "PORTKEY_MCP_KEY_ENV_ALLOW lists COPY_OF_ADMIN_KEY, which holds the value of PORTKEY_API_KEY; the server's own key can never be sent as a provider key")]
    public async Task An_env_reference_that_could_send_the_servers_own_key_stops_start_up(string allowed, string reason)
    {
        var (exitCode, stderr) = await RunToExitAsync(new()
        {
            ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey,
            ["COPY_OF_ADMIN_KEY"] = PortkeyStub.ApiKey,
            ["PORTKEY_MCP_KEY_ENV_ALLOW"] = $"OPENAI_API_KEY,{allowed}",
        });

        Assert.Equal(2, exitCode);
        Assert.Equal($"portkey-admin-mcp: cannot start: {reason}", stderr.Trim());
    }

    [SkippableTheory]
    [InlineData("symlink")]
    [InlineData("world-writable")]
    [InlineData("inside a folder others can write")]
    public async Task A_secret_folder_others_could_tamper_with_stops_start_up(string kind)
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix modes and symbolic links");
        var root = Directory.CreateTempSubdirectory("pk-folder-").FullName;
        try
        {
            var folder = Path.Combine(root, "secrets");
            if (kind == "symlink")
            {
                Directory.CreateDirectory(Path.Combine(root, "elsewhere"));
                Directory.CreateSymbolicLink(folder, Path.Combine(root, "elsewhere"));
            }
            else if (kind.StartsWith("inside", StringComparison.Ordinal))
            {
                // The folder itself is fine, but anyone may rename it away and put another in its place.
#pragma warning disable CA1416 // Unix only: skipped on Windows above
                File.SetUnixFileMode(root, (UnixFileMode)0b111_111_111);
#pragma warning restore CA1416
            }
            else
            {
                Directory.CreateDirectory(folder);
#pragma warning disable CA1416 // Unix only: skipped on Windows above
                File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
#pragma warning restore CA1416
            }

            var (exitCode, stderr) = await RunToExitAsync(new()
            {
                ["PORTKEY_MCP_SECRET_OUTPUT"] = "file",
                ["PORTKEY_MCP_SECRET_DIR"] = folder,
            });

            Assert.Equal(2, exitCode);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"portkey-admin-mcp: cannot start: PORTKEY_MCP_SECRET_DIR: the secret folder {folder} ", line, StringComparison.Ordinal);
            Assert.Contains(kind switch
            {
                "symlink" => "is a symbolic link",
                "world-writable" => "can be written by other users (mode 777)",
                _ => $"is inside {root}, which other users can write to (mode 777); they could swap the folder",
            }, line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    public static TheoryData<string, string> HostilePolicies() => new()
    {
        { "version: \"1\"\ntools:\n  create_api_key:\n    rules:\n      - {name: r, conditions: [{path: args.credit_limit, op: lt, value: .5}]}\n", "ok" },
        { "version: \"1\"\ntools:\n  create_api_key:\n    rules:\n      - {name: r, conditions: [{path: args.credit_limit, op: lt, value: 0500}]}\n      - {name: s, conditions: [{path: args.credit_limit, op: gt, value: 5.}]}\n", "ok" },
        { "version: \"1\"\ntools:\n  delete_api_key:\n    rules:\n      - {name: ask, action: require_approval, approval_timeout: 9999999999999m}\n", "approval_timeout: must be a duration such as 90s, 10m, 2h or 1d (at most 1d), got \"9999999999999m\"" },
        { "version: \"1\"\ntools:\n  create_api_key:\n    rules:\n      - {name: r, conditions: [{path: args.name, op: eq, value: " + new string('[', 100_000) + "}]}\n", "is nested more than 32 levels deep" },
        { BillionLaughs(), "value is too large: more than 1000 YAML nodes once its aliases are expanded" },
        { "/dev/zero", "is larger than 1024 KiB" },
    };

    [Theory]
    [MemberData(nameof(HostilePolicies))]
    public async Task A_hostile_policy_file_ends_in_exit_2_and_one_line_or_loads(string policy, string outcome)
    {
        var path = policy.StartsWith('/') ? policy : Path.Combine(Path.GetTempPath(), $"pk-hostile-{Guid.NewGuid():N}.yaml");
        if (!policy.StartsWith('/'))
        {
            await File.WriteAllTextAsync(path, policy);
        }

        try
        {
            using var portkey = new PortkeyStub();
            using var process = Start(portkey, new() { ["PORTKEY_MCP_POLICY"] = path });
            var stderr = process.StandardError.ReadToEndAsync();
            if (outcome == "ok")
            {
                await process.StandardInput.WriteLineAsync(Initialize);
                process.StandardInput.Close();
                Assert.Single(Answers(await process.StandardOutput.ReadToEndAsync(Bounded.Token(30))));
                await process.WaitForExitAsync(Bounded.Token(30));
                Assert.Equal(0, process.ExitCode);
                return;
            }

            var stdout = await process.StandardOutput.ReadToEndAsync(Bounded.Token(30));
            await process.WaitForExitAsync(Bounded.Token(30));
            Assert.Equal(2, process.ExitCode);
            Assert.Equal(string.Empty, stdout);
            var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"portkey-admin-mcp: cannot start: PORTKEY_MCP_POLICY: policy file {path} has 1 problem: ", line, StringComparison.Ordinal);
            Assert.Contains(outcome, line, StringComparison.Ordinal);
        }
        finally
        {
            if (!policy.StartsWith('/'))
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public async Task An_unusable_sqlite_path_stops_start_up_instead_of_refusing_every_call()
    {
        var (exitCode, stderr) = await RunToExitAsync(new() { ["PORTKEY_MCP_POLICY_STATE"] = "sqlite:/proc/counters/state.db" });

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("portkey-admin-mcp: cannot start: PORTKEY_MCP_POLICY_STATE: cannot use '/proc/counters/state.db' for counters (", line, StringComparison.Ordinal);
    }

    /// <summary>Ten levels of ten aliases each, inside one condition value: 10^10 nodes if anyone expanded them.</summary>
    private static string BillionLaughs()
    {
        var levels = new List<string> { "&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 10; i++)
        {
            levels.Add($"&a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        return "version: \"1\"\ntools:\n  create_api_key:\n    rules:\n      - {name: r, conditions: [{path: args.name, op: eq, value: [" +
               string.Join(", ", levels) + "]}]}\n";
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
