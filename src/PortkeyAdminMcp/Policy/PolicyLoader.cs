using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Schemas;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PortkeyAdminMcp.Policy;

/// <summary>A problem found in a policy file: where (line and rule path) and what.</summary>
public sealed record PolicyProblem(int Line, string Location, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"line {Line}: {Location}: {Message}" : $"{Location}: {Message}";
}

/// <summary>
/// Reads a policy in Intercept's v1 format (plus <c>require_approval</c> and <c>approval_timeout</c>) and checks the
/// whole file, collecting every problem rather than stopping at the first, so one edit fixes them all.
/// </summary>
public sealed partial class PolicyLoader
{


    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private static readonly string[] TopKeys = ["version", "description", "default", "hide", "tools"];

    private static readonly string[] ToolKeys = ["rules"];

    private static readonly string[] RuleKeys = ["name", "action", "conditions", "on_deny", "rate_limit", "state", "approval_timeout"];

    private static readonly string[] ConditionKeys = ["path", "op", "value"];

    private static readonly string[] StateKeys = ["counter", "window", "increment", "increment_from"];

    private static readonly Dictionary<string, ConditionOp> Ops = new(StringComparer.Ordinal)
    {
        ["eq"] = ConditionOp.Eq,
        ["neq"] = ConditionOp.Neq,
        ["in"] = ConditionOp.In,
        ["not_in"] = ConditionOp.NotIn,
        ["lt"] = ConditionOp.Lt,
        ["lte"] = ConditionOp.Lte,
        ["gt"] = ConditionOp.Gt,
        ["gte"] = ConditionOp.Gte,
        ["regex"] = ConditionOp.Regex,
        ["contains"] = ConditionOp.Contains,
        ["exists"] = ConditionOp.Exists,
    };

    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> _tools;

    private readonly List<PolicyProblem> _problems = [];

    private readonly List<(PolicyCondition Condition, string Location, long Line)> _stateReferences = [];

    // Counters named by any state block or rate_limit, valid or not, so a broken block is reported once, not again by its readers.
    private readonly HashSet<string> _declaredCounters = new(StringComparer.Ordinal);

    /// <param name="tools">This server's tools and the names of their arguments: a rule may only name what exists.</param>
    public PolicyLoader(IReadOnlyDictionary<string, IReadOnlySet<string>> tools) => _tools = tools;

    public IReadOnlyList<PolicyProblem> Problems => _problems;

    /// <summary>The largest counter limit or increment: far past any real quota, far from overflowing a 64-bit counter.</summary>
    public const long MaxCount = 1_000_000_000_000_000;

    public static (PolicySet? Policy, IReadOnlyList<PolicyProblem> Problems) LoadFile(string path, IReadOnlyDictionary<string, IReadOnlySet<string>> tools)
    {
        var (text, problem) = ReadBounded(path);
        return text is null ? (null, [new PolicyProblem(0, "file", problem!)]) : Parse(text, path, tools);
    }

    public static (PolicySet? Policy, IReadOnlyList<PolicyProblem> Problems) Parse(string yaml, string source, IReadOnlyDictionary<string, IReadOnlySet<string>> tools)
    {
        var loader = new PolicyLoader(tools);
        var policy = loader.Read(yaml, source);
        return loader._problems.Count == 0 ? (policy, []) : (null, [.. loader._problems.OrderBy(p => p.Line)]);
    }

    private PolicySet? Read(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            if (!WithinBounds(yaml))
            {
                return null;
            }

            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            Problem(exception.Start.Line, "yaml", $"not valid YAML: {Innermost(exception).Message}");
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Problem(1, "policy", "must be one YAML mapping with version and tools");
            return null;
        }

        CheckKeys(root, "policy", TopKeys);
        var version = Scalar(root, "version");
        if (version?.Value != "1")
        {
            Problem(Line(version, root), "version", $"must be \"1\", got {Show(version)}");
        }

        _ = StringValue(root, "description", "description");
        var defaultPosture = Scalar(root, "default");
        if (defaultPosture is not null && defaultPosture.Value is not ("allow" or "deny"))
        {
            Problem(Line(defaultPosture, root), "default", $"must be \"allow\" or \"deny\", got {Show(defaultPosture)}");
        }

        var hidden = ReadHide(root);
        var (tools, wildcard) = ReadTools(root);
        CheckStateReferences();
        return _problems.Count > 0 ? null : new PolicySet(source, defaultPosture?.Value == "deny", hidden, tools, wildcard);
    }

    private List<string> ReadHide(YamlMappingNode root)
    {
        var hidden = new List<string>();
        if (!root.Children.TryGetValue(new YamlScalarNode("hide"), out var node) || IsNull(node))
        {
            return hidden;
        }

        // "hide: '*'" is as clear as a one-element list, so both are taken.
        IEnumerable<YamlNode> entries = node switch
        {
            YamlSequenceNode sequence => sequence.Children,
            YamlScalarNode scalar when scalar.Value == PolicySet.Wildcard => [scalar],
            _ => [],
        };
        if (node is not YamlSequenceNode && !(node is YamlScalarNode { Value: PolicySet.Wildcard }))
        {
            Problem(node.Start.Line, "hide", "must be a list of tool names, or \"*\"");
        }

        var index = 0;
        foreach (var entry in entries)
        {
            var location = $"hide[{index++}]";
            if (entry is not YamlScalarNode { Value: { } name } || string.IsNullOrWhiteSpace(name))
            {
                Problem(entry.Start.Line, location, "entry must be a tool name, not empty");
                continue;
            }

            if (hidden.Contains(name))
            {
                Problem(entry.Start.Line, "hide", $"duplicate entry \"{name}\"");
                continue;
            }

            if (name != PolicySet.Wildcard)
            {
                CheckToolName(name, entry.Start.Line, location);
            }

            hidden.Add(name);
        }

        return hidden;
    }

    private (Dictionary<string, IReadOnlyList<PolicyRule>> Tools, IReadOnlyList<PolicyRule> Wildcard) ReadTools(YamlMappingNode root)
    {
        var tools = new Dictionary<string, IReadOnlyList<PolicyRule>>(StringComparer.Ordinal);
        IReadOnlyList<PolicyRule> wildcard = [];
        if (!root.Children.TryGetValue(new YamlScalarNode("tools"), out var node))
        {
            Problem(root.Start.Line, "tools", "is required (a map from tool name, or \"*\", to its rules)");
            return (tools, wildcard);
        }

        if (IsNull(node))
        {
            return (tools, wildcard);
        }

        if (node is not YamlMappingNode map)
        {
            Problem(node.Start.Line, "tools", "must be a map from tool name, or \"*\", to { rules: [...] }");
            return (tools, wildcard);
        }

        foreach (var (keyNode, value) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var location = $"tools.{name}";
            if (name != PolicySet.Wildcard && !CheckToolName(name, keyNode.Start.Line, location))
            {
                continue;
            }

            var rules = ReadRules(name, value, location);
            if (name == PolicySet.Wildcard)
            {
                wildcard = rules;
            }
            else
            {
                tools[name] = rules;
            }
        }

        return (tools, wildcard);
    }

    private void Problem(long line, string location, string message) => _problems.Add(new PolicyProblem((int)line, location, message));

    /// <summary>All the problems on one line, for a start-up error.</summary>
    public static string Describe(string path, IReadOnlyList<PolicyProblem> problems)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"policy file {path} has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}: ");
        text.AppendJoin("; ", problems.Select(p => p.ToString()));
        return text.ToString();
    }








}
