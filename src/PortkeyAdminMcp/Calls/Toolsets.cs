using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Calls;

/// <summary>
/// The toolsets, named as the most used Portkey admin MCP server names its domains, so a configuration moves over
/// unchanged. Every tool listed costs every conversation context: only the chosen toolsets are listed and callable.
/// </summary>
public static class Toolsets
{
    public const string Keys = "keys";
    public const string Workspaces = "workspaces";
    public const string Users = "users";
    public const string Integrations = "integrations";
    public const string Providers = "providers";
    public const string SecretReferences = "secret-references";
    public const string Limits = "limits";
    public const string Audit = "audit";

    /// <summary>Every toolset at once.</summary>
    public const string All = "all";

    /// <summary>A tool in every configuration (await_approval): no toolset switches it off.</summary>
    public const string Always = "*";

    public static readonly string[] Known = [Keys, Workspaces, Users, Integrations, Providers, SecretReferences, Limits, Audit];

    public static readonly string[] Default = [Keys, Workspaces, Users];

    /// <summary>
    /// The other server's domains this one does not have (yet): in PORTKEY_TOOL_DOMAINS they are skipped, so its
    /// configuration works here unchanged; in PORTKEY_MCP_TOOLSETS, ours, they are a mistake.
    /// </summary>
    public static readonly string[] ForeignDomains =
        ["configs", "deployments", "collections", "prompts", "analytics", "guardrails", "labels", "partials", "tracing", "logging", "mcp-integrations", "mcp-servers"];
}

/// <summary>PORTKEY_MCP_TOOLSETS (or, as the other server spells it, PORTKEY_TOOL_DOMAINS): the toolsets listed and callable.</summary>
public sealed class ToolsetOptions
{
    public const string Variable = "PORTKEY_MCP_TOOLSETS";
    public const string DomainsVariable = "PORTKEY_TOOL_DOMAINS";

    /// <summary>PORTKEY_MCP_TOOLSETS as set.</summary>
    public string? Setting { get; set; }

    /// <summary>PORTKEY_TOOL_DOMAINS as set; read only when PORTKEY_MCP_TOOLSETS is not.</summary>
    public string? DomainsSetting { get; set; }

    /// <summary>The variable the toolsets come from, for messages.</summary>
    public string Source => !string.IsNullOrWhiteSpace(Setting) ? Variable : !string.IsNullOrWhiteSpace(DomainsSetting) ? DomainsVariable : Variable;

    private string[] Names => ((!string.IsNullOrWhiteSpace(Setting) ? Setting : DomainsSetting) ?? string.Empty)
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(name => name.ToLowerInvariant())
        .ToArray();

    /// <summary>The enabled toolsets (known names only).</summary>
    public IReadOnlySet<string> Enabled => _enabled ??= Resolve();

    private IReadOnlySet<string>? _enabled;

    public bool IsEnabled(string toolset) => toolset == Toolsets.Always || Enabled.Contains(toolset);

    /// <summary>The toolsets as a sentence fragment: "keys, workspaces and users".</summary>
    public string Describe() => Toolsets.Known.Where(Enabled.Contains).ToList() switch
    {
        [] => "none",
        [var one] => one,
        var many => string.Join(", ", many.Take(many.Count - 1)) + " and " + many[^1],
    };

    private HashSet<string> Resolve()
    {
        var names = Names;
        if (names.Length == 0)
        {
            return [.. Toolsets.Default];
        }

        return names.Contains(Toolsets.All) ? [.. Toolsets.Known] : [.. names.Where(Toolsets.Known.Contains)];
    }

    /// <summary>Names that are neither a toolset nor, under the other server's variable, one of its domains.</summary>
    public IEnumerable<string> Unknown() => Names.Where(name =>
        name != Toolsets.All && !Toolsets.Known.Contains(name) && !(Source == DomainsVariable && Toolsets.ForeignDomains.Contains(name)));
}

public sealed class ToolsetOptionsValidator : IValidateOptions<ToolsetOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolsetOptions options)
    {
        var unknown = options.Unknown().ToList();
        if (unknown.Count > 0)
        {
            var known = string.Join(", ", Toolsets.Known.Append(Toolsets.All));
            // A hostile or mistaken value is echoed bounded: five names at most, each cut to 40 characters.
            var guesses = unknown.Take(5).Select(u => u.Length > 40 ? u[..40] + "…" : u)
                .Select(u => NameSuggestion.Closest(u, Toolsets.Known) is { } guess ? $"'{u}' (did you mean '{guess}'?)" : $"'{u}'");
            return ValidateOptionsResult.Fail($"{options.Source} names unknown toolsets {string.Join(", ", guesses)}; known: {known}");
        }

        return options.Enabled.Count == 0
            ? ValidateOptionsResult.Fail($"{options.Source} enables no toolset this server has; known: {string.Join(", ", Toolsets.Known.Append(Toolsets.All))}")
            : ValidateOptionsResult.Success;
    }
}
