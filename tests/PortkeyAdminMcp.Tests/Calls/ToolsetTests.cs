using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Calls;

/// <summary>
/// Toolsets: only the chosen ones are listed and callable (a switched-off tool is refused like a hidden one, nothing
/// sent); the other server's variable and domain names work unchanged; read-only mode and policies compose with them.
/// </summary>
public sealed class ToolsetTests : PolicyServerTest
{
    private static IEnumerable<string> ToolsIn(params string[] toolsets) =>
        Catalog.Tools.All.Where(t => t.OfferedWhen is null && toolsets.Contains(t.Toolset)).Select(t => t.Name).Order();

    private async Task<IEnumerable<string>> ListedAsync(Dictionary<string, string?> settings)
    {
        await using var server = await InProcessServer.StartAsync(Portkey, settings);
        return (await server.Client.ListToolsAsync(cancellationToken: Bounded.Token())).Select(t => t.Name).Order().ToList();
    }

    [Fact]
    public async Task By_default_keys_workspaces_and_users_are_listed()
    {
        Assert.Equal(ToolsIn("keys", "workspaces", "users"), await ListedAsync([]));
        Assert.Contains("list_workspaces", ToolsIn("workspaces"));
        Assert.Contains("invite_user", ToolsIn("users"));
    }

    [Theory]
    [InlineData("PORTKEY_MCP_TOOLSETS", "keys", new[] { "keys" })]
    [InlineData("PORTKEY_MCP_TOOLSETS", " Users , keys ", new[] { "keys", "users" })]
    [InlineData("PORTKEY_TOOL_DOMAINS", "users,prompts,analytics", new[] { "users" })]
    [InlineData("PORTKEY_MCP_TOOLSETS", "all", new[] { "keys", "workspaces", "users", "integrations", "providers", "secret-references", "limits", "audit" })]
    public async Task The_chosen_toolsets_and_only_they_are_listed(string variable, string value, string[] toolsets)
    {
        Assert.Equal(ToolsIn(toolsets), await ListedAsync(new() { [variable] = value }));
    }

    [Fact]
    public async Task Our_variable_wins_over_the_other_servers()
    {
        Assert.Equal(ToolsIn("workspaces"), await ListedAsync(new() { ["PORTKEY_MCP_TOOLSETS"] = "workspaces", ["PORTKEY_TOOL_DOMAINS"] = "keys" }));
    }

    [Fact]
    public async Task A_tool_of_a_switched_off_toolset_is_refused_sends_nothing_and_is_audited()
    {
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """, settings: new() { ["PORTKEY_MCP_TOOLSETS"] = "keys" });

        var result = await server.CallAsync("delete_workspace", """{"workspace_id":"ws-ml"}""");

        AssertRefused(result, "Tool \"delete_workspace\" is in the workspaces toolset, which this server does not offer (PORTKEY_MCP_TOOLSETS enables keys). Nothing was sent.");
        Assert.Empty(Portkey.Requests);
        var line = Assert.Single(AuditLines());
        Assert.Equal(("denied", "(toolset off)"), ((string?)line["decision"], (string?)line["rule"]));
    }

    [Fact]
    public async Task A_policy_naming_tools_of_switched_off_toolsets_still_loads_and_a_name_the_server_lacks_does_not()
    {
        var server = await StartAsync("""
            version: "1"
            tools:
              delete_workspace:
                rules:
                  - {name: workspaces need a human, action: require_approval}
              invite_user:
                rules:
                  - {name: no new people, action: deny}
            """, settings: new() { ["PORTKEY_MCP_TOOLSETS"] = "keys" });
        // Its approval rule is for a tool that is switched off, so nothing can ask and await_approval is not offered either.
        Assert.Equal(ToolsIn("keys"), (await server.Client.ListToolsAsync(cancellationToken: Bounded.Token())).Select(t => t.Name).Order());
        await DisposeServerAsync();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("""
            version: "1"
            tools:
              delete_workspaces: {rules: []}
            """, settings: new() { ["PORTKEY_MCP_TOOLSETS"] = "keys" }));
        Assert.Contains("\"delete_workspaces\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("delete_workspace", error.Message.Replace("\"delete_workspaces\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_only_mode_composes_with_toolsets()
    {
        Assert.Equal(Catalog.Tools.All.Where(t => t.Toolset == "workspaces" && t.IsReadOnly).Select(t => t.Name).Order(),
            await ListedAsync(new() { ["PORTKEY_MCP_TOOLSETS"] = "workspaces", ["PORTKEY_MCP_READ_ONLY"] = "true" }));
    }

    [Theory]
    [InlineData("PORTKEY_MCP_TOOLSETS", "keys,workspace", "PORTKEY_MCP_TOOLSETS names unknown toolsets 'workspace' (did you mean 'workspaces'?); known: keys, workspaces, users, integrations, providers, secret-references, limits, audit, all")]
    [InlineData("PORTKEY_MCP_TOOLSETS", "prompts", "PORTKEY_MCP_TOOLSETS names unknown toolsets 'prompts'; known: keys, workspaces, users, integrations, providers, secret-references, limits, audit, all")]
    [InlineData("PORTKEY_TOOL_DOMAINS", "prompts,analytics", "PORTKEY_TOOL_DOMAINS enables no toolset this server has; known: keys, workspaces, users, integrations, providers, secret-references, limits, audit, all")]
    public void Toolset_settings_are_checked_at_start_up(string variable, string value, string problem)
    {
        var options = new ToolsetOptions
        {
            Setting = variable == ToolsetOptions.Variable ? value : null,
            DomainsSetting = variable == ToolsetOptions.DomainsVariable ? value : null,
        };

        var result = new ToolsetOptionsValidator().Validate(null, options);

        Assert.Equal(problem, result.FailureMessage);
    }

    [Fact]
    public void A_hostile_toolset_value_is_echoed_bounded()
    {
        var options = new ToolsetOptions { Setting = string.Join(',', Enumerable.Range(0, 10_000).Select(i => new string('x', 500) + i)) };

        var message = new ToolsetOptionsValidator().Validate(null, options).FailureMessage;

        Assert.NotNull(message);
        Assert.True(message.Length < 600, message);
    }
}
