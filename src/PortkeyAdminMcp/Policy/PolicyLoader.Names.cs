using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Schemas;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PortkeyAdminMcp.Policy;

/// <summary>Names: a rule may only name tools, arguments and keys that exist ("did you mean").</summary>
public sealed partial class PolicyLoader
{
    private bool CheckToolName(string name, long line, string location)
    {
        if (_tools.ContainsKey(name))
        {
            return true;
        }

        var suggestion = NameSuggestion.Closest(name, _tools.Keys);
        Problem(line, location, suggestion is null
            ? $"this server has no tool named \"{name}\" (its {_tools.Count} tools are in README.md, and listed with PORTKEY_MCP_TOOLSETS=all)"
            : $"this server has no tool named \"{name}\"; did you mean \"{suggestion}\"?");
        return false;
    }

    /// <summary>A rule on a misspelt argument would never match, which for neq, not_in or exists=false means always allow.</summary>
    private void CheckArgument(string tool, string argument, long line, string location)
    {
        var known = tool == PolicySet.Wildcard
            ? _tools.Values.SelectMany(p => p).ToHashSet(StringComparer.Ordinal)
            : _tools.TryGetValue(tool, out var parameters) ? parameters : null;
        if (known is null || known.Contains(argument))
        {
            return;
        }

        var suggestion = NameSuggestion.Closest(argument, known);
        var owner = tool == PolicySet.Wildcard ? "no tool of this server" : tool;
        Problem(line, location, suggestion is null
            ? $"{owner} has no argument \"{argument}\""
            : $"{owner} has no argument \"{argument}\"; did you mean \"{suggestion}\"?");
    }

    private void CheckKeys(YamlMappingNode map, string location, string[] known)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (Array.IndexOf(known, name) >= 0)
            {
                continue;
            }

            var suggestion = NameSuggestion.Closest(name, known);
            Problem(key.Start.Line, location, suggestion is null
                ? $"unknown key \"{name}\" (known: {string.Join(", ", known)})"
                : $"unknown key \"{name}\"; did you mean \"{suggestion}\"?");
        }
    }
}
