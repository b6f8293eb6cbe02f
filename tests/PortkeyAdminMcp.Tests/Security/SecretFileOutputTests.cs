using System.Text.Json;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Security;

/// <summary>PORTKEY_MCP_SECRET_OUTPUT=file: new secrets go to owner-only files, never into a result or a log.</summary>
public sealed class SecretFileOutputTests : IAsyncLifetime
{
    private const string Secret = "pk-live-FileModeSecret0001";
    private readonly PortkeyStub _portkey = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pk-secrets-" + Guid.NewGuid().ToString("N"), "secrets");
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync(_portkey, new()
    {
        ["PORTKEY_MCP_SECRET_OUTPUT"] = "file",
        ["PORTKEY_MCP_SECRET_DIR"] = _folder,
        ["PORTKEY_MCP_KEY_ENV_ALLOW"] = "OPENAI_API_KEY",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _portkey.Dispose();
        if (Directory.Exists(Path.GetDirectoryName(_folder)))
        {
            Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
        }
    }

    private Task<ModelContextProtocol.Protocol.CallToolResult> CreateAsync() =>
        _server.CallAsync("create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");

    [Fact]
    public async Task Create_writes_an_owner_only_file_named_after_the_key_and_returns_path_mask_and_fingerprint()
    {
        _portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{Secret}}"}""");

        var result = await CreateAsync();

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        var structured = result.StructuredContent!.Value;
        var path = structured.GetProperty("key_file").GetString()!;
        Assert.Equal(Path.Combine(_folder, LiveApiKey.Id + ".key"), path);
        Assert.Equal(Secret + "\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        }

        Assert.Equal("pk-l*****001", structured.GetProperty("key_masked").GetString());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret))),
            structured.GetProperty("key_sha256").GetString());
        Assert.False(structured.TryGetProperty("key", out _));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(result, ModelContextProtocol.McpJsonUtilities.DefaultOptions), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_files_carry_the_rotation_time_and_never_overwrite()
    {
        _portkey.Reply("POST", $"api-keys/{LiveApiKey.Id}/rotate", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{Secret}}","key_transition_expires_at":"2026-12-01T00:30:00Z"}""");

        var first = await _server.CallAsync("rotate_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");
        var second = await _server.CallAsync("rotate_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

        var firstPath = first.StructuredContent!.Value.GetProperty("key_file").GetString()!;
        var secondPath = second.StructuredContent!.Value.GetProperty("key_file").GetString()!;
        Assert.Matches($@"{LiveApiKey.Id}-rotated-\d{{8}}T\d{{6}}Z(-\d+)?\.key$", firstPath);
        Assert.NotEqual(firstPath, secondPath);
        Assert.True(File.Exists(firstPath) && File.Exists(secondPath));
    }

    [Fact]
    public async Task An_unwritable_folder_stops_the_create_before_anything_is_sent()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_folder)!);
        await File.WriteAllTextAsync(_folder, "a file where the folder should be");

        var result = await CreateAsync();

        Assert.True(result.IsError);
        Assert.StartsWith($"The secret folder {_folder} is not writable", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Empty(_portkey.Requests);
        File.Delete(_folder);
    }

    [Fact]
    public async Task A_write_that_fails_after_the_key_exists_never_puts_the_secret_in_the_result()
    {
        _portkey.Reply("POST", "api-keys/organisation/service", 200, $$"""{"id":"{{LiveApiKey.Id}}","key":"{{Secret}}"}""");
        // Every name the writer may use is taken by a folder, so the file cannot be created.
        Directory.CreateDirectory(Path.Combine(_folder, LiveApiKey.Id + ".key"));
        for (var i = 1; i < 100; i++)
        {
            Directory.CreateDirectory(Path.Combine(_folder, $"{LiveApiKey.Id}-{i}.key"));
        }

        var result = await CreateAsync();

        Assert.True(result.IsError);
        Assert.Equal(
            $"API key {LiveApiKey.Id} was created, but its new secret could not be written under {_folder} (IOException) and, as " +
            "PORTKEY_MCP_SECRET_OUTPUT=file requires, it is not shown here. Make the folder writable, then rotate the key (rotate_api_key) " +
            "to get a new secret, or delete it.",
            InProcessServer.Text(result));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(result, ModelContextProtocol.McpJsonUtilities.DefaultOptions), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _server.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../../../tmp/escape")]
    [InlineData("a/b\\c:d*e?f")]
    [InlineData("")]
    [InlineData("x")]
    public async Task An_id_from_portkey_that_makes_a_bad_file_name_still_gets_a_file_inside_the_folder(string id)
    {
        var longId = id == "x" ? new string('x', 300) : id;
        _portkey.Reply("POST", "api-keys/organisation/service", 200,
            $$"""{"id":{{JsonSerializer.Serialize(longId)}},"key":"{{Secret}}"}""");

        var result = await CreateAsync();

        if (longId.Length == 0)
        {
            // No id at all is a fault of the answer, reported as such.
            Assert.True(result.IsError);
            return;
        }

        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        var path = result.StructuredContent!.Value.GetProperty("key_file").GetString()!;
        Assert.Equal(_folder, Path.GetDirectoryName(path));
        Assert.InRange(Path.GetFileName(path).Length, 5, 80);
        Assert.Equal(Secret + "\n", File.ReadAllText(path));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(result, ModelContextProtocol.McpJsonUtilities.DefaultOptions), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Descriptions_say_where_secrets_go_and_which_references_are_allowed()
    {
        var tools = (await _server.Client.ListToolsAsync(cancellationToken: Bounded.Token())).ToDictionary(t => t.Name);
        Assert.Contains($"is written to a new owner-only file under {_folder}", tools["create_api_key"].Description, StringComparison.Ordinal);
        Assert.Contains($"is written to a new owner-only file under {_folder}", tools["rotate_api_key"].Description, StringComparison.Ordinal);
        Assert.DoesNotContain("enters the transcript", tools["create_api_key"].Description, StringComparison.Ordinal);
        foreach (var name in new[] { "create_virtual_key", "update_virtual_key" })
        {
            var key = tools[name].ProtocolTool.InputSchema.GetProperty("properties").GetProperty("key").GetProperty("description").GetString();
            Assert.EndsWith("${env:NAME} for NAME in OPENAI_API_KEY.", key, StringComparison.Ordinal);
            Assert.Contains("${secret:REFERENCE_ID#field}", key, StringComparison.Ordinal);
        }
    }
}
