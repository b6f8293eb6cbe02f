using System.Diagnostics;
using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.EndToEnd;

/// <summary>Garbage on stdin and a client that vanishes mid-call: the process answers what it can and never hangs.</summary>
public class StdinAbuseTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private static async Task<JsonElement> ReadAnswerAsync(Process process, int id)
    {
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(Bounded.Token(30)) ?? throw new InvalidOperationException("stdout closed");
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("id", out var answerId) && answerId.ValueKind == JsonValueKind.Number && answerId.GetInt32() == id)
            {
                return document.RootElement.Clone();
            }
        }
    }

    [Fact]
    public async Task Garbage_lines_an_oversized_line_and_invalid_json_rpc_leave_the_server_answering()
    {
        using var portkey = new PortkeyStub();
        portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, LiveApiKey.Json);
        using var process = ServerExecutable.Start(new Dictionary<string, string?> { ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey, ["PORTKEY_BASE_URL"] = portkey.BaseUrl });
        _ = process.StandardError.ReadToEndAsync();

        await process.StandardInput.WriteLineAsync(Initialize);
        await ReadAnswerAsync(process, 1);
        string[] garbage =
        [
            "this is not json",
            "{\"jsonrpc\":\"2.0\",\"id\":",
            "[1,2,3]",
            "{}",
            "{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"no/such/method\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"name\":\"get_api_key\",\"arguments\":\"not an object\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\",\"params\":{\"name\":\"get_api_key\",\"arguments\":{\"id\":\"" + new string('9', 2_000_000) + "\"}}}",
            "\u0000\u0001\u00ff\ud7ff",
        ];
        foreach (var line in garbage)
        {
            await process.StandardInput.WriteLineAsync(line);
        }

        await process.StandardInput.WriteLineAsync($$$$"""{"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"name":"get_api_key","arguments":{"id":"{{{{LiveApiKey.Id}}}}"}}}""");
        await process.StandardInput.FlushAsync();
        var answer = await ReadAnswerAsync(process, 20);

        Assert.Equal("gira-app", answer.GetProperty("result").GetProperty("structuredContent").GetProperty("name").GetString());
        Assert.False(process.HasExited);
        process.StandardInput.Close();
        await process.WaitForExitAsync(Bounded.Token(30));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Stdin_closed_in_the_middle_of_a_call_ends_the_process_cleanly()
    {
        using var upstream = new SilentUpstream();
        upstream.Start();
        using var process = ServerExecutable.Start(new Dictionary<string, string?> { ["PORTKEY_API_KEY"] = PortkeyStub.ApiKey, ["PORTKEY_BASE_URL"] = upstream.BaseUrl });
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        await process.StandardInput.WriteLineAsync(Initialize);
        await process.StandardInput.WriteLineAsync($$$$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_api_key","arguments":{"id":"{{{{LiveApiKey.Id}}}}"}}}""");
        await process.StandardInput.FlushAsync();
        await Bounded.UntilAsync(() => upstream.RequestLines.Count > 0);

        Assert.Single(upstream.RequestLines);
        process.StandardInput.Close();
        await process.WaitForExitAsync(Bounded.Token(20));

        Assert.Equal(0, process.ExitCode);
        // The call was given its grace and then let go, its request closed, rather than waited out for 30 s. The
        // upstream notices the closed connection on its own thread, a moment after the process has gone.
        await Bounded.UntilAsync(() => upstream.ClosedByClient > 0);
        Assert.Equal(1, upstream.ClosedByClient);
    }
}
