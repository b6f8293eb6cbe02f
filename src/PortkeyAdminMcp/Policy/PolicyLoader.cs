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

    /// <summary>A policy is a page of YAML; anything larger is a mistake (or /dev/zero) and is refused unread.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Deeper than any sensible policy, shallow enough that no reader of it can run out of stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>YAML events (scalars, starts and ends) a policy may hold, and nodes a condition value may expand to through aliases.</summary>
    public const int MaxEvents = 100_000;

    public const int MaxValueNodes = 1_000;

    /// <summary>The largest counter limit or increment: far past any real quota, far from overflowing a 64-bit counter.</summary>
    public const long MaxCount = 1_000_000_000_000_000;

    /// <summary>A pipe or a device that never ends a read must not hold the start-up: reading gives up after this.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    public static (PolicySet? Policy, IReadOnlyList<PolicyProblem> Problems) LoadFile(string path, IReadOnlyDictionary<string, IReadOnlySet<string>> tools)
    {
        var (text, problem) = ReadBounded(path);
        return text is null ? (null, [new PolicyProblem(0, "file", problem!)]) : Parse(text, path, tools);
    }

    private static (string? Text, string? Problem) ReadBounded(string path)
    {
        var read = Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            var buffer = new byte[MaxFileBytes + 1];
            var total = 0;
            int count;
            while (total < buffer.Length && (count = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += count;
            }

            return total > MaxFileBytes ? null : new UTF8Encoding(false).GetString(buffer, 0, total).TrimStart('\uFEFF');
        });
        try
        {
            if (!read.Wait(ReadTimeout))
            {
                return (null, $"could not be read within {ReadTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s (a pipe or a device rather than a file?)");
            }

            return read.Result is { } text ? (text, null) : (null, $"is larger than {MaxFileBytes / 1024} KiB; a policy file is a page of YAML");
        }
        catch (AggregateException aggregate) when (aggregate.InnerException is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var exception = aggregate.InnerException!;
            return (null, $"cannot be read ({exception.GetType().Name}: {exception.Message})");
        }
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

    /// <summary>
    /// A first pass over the YAML events, which needs no recursion: nesting deeper than <see cref="MaxDepth"/> or
    /// more than <see cref="MaxEvents"/> events is refused before any tree is built, so no file can exhaust the
    /// stack or the memory of this process.
    /// </summary>
    private bool WithinBounds(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        var events = 0;
        while (parser.MoveNext())
        {
            if (++events > MaxEvents)
            {
                Problem(parser.Current!.Start.Line, "yaml", $"has more than {MaxEvents} YAML nodes; a policy file is a page of YAML");
                return false;
            }

            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    Problem(parser.Current.Start.Line, "yaml", $"is nested more than {MaxDepth} levels deep");
                    return false;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                default:
                    break;
            }
        }

        return true;
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

    private List<PolicyRule> ReadRules(string tool, YamlNode value, string location)
    {
        var rules = new List<PolicyRule>();
        if (IsNull(value))
        {
            return rules;
        }

        if (value is not YamlMappingNode toolMap)
        {
            Problem(value.Start.Line, location, "must be a map with a rules list");
            return rules;
        }

        CheckKeys(toolMap, location, ToolKeys);
        if (!toolMap.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode) || IsNull(rulesNode))
        {
            return rules;
        }

        if (rulesNode is not YamlSequenceNode sequence)
        {
            Problem(rulesNode.Start.Line, $"{location}.rules", "must be a list of rules");
            return rules;
        }

        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var ruleLocation = $"{location}.rules[{i}]";
            if (sequence.Children[i] is not YamlMappingNode ruleNode)
            {
                Problem(sequence.Children[i].Start.Line, ruleLocation, "must be a map with name and action, conditions or rate_limit");
                continue;
            }

            var rule = ReadRule(tool, ruleNode, ruleLocation);
            if (rule?.Counter is { } counter)
            {
                var counterName = counter.Key[(counter.Key.IndexOf('.', StringComparison.Ordinal) + 1)..];
                if (counters.TryGetValue(counterName, out var previous))
                {
                    Problem(ruleNode.Start.Line, ruleLocation, $"duplicate state counter \"{counterName}\" (also used by rules[{previous}])");
                }
                else
                {
                    counters[counterName] = i;
                }
            }

            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private PolicyRule? ReadRule(string tool, YamlMappingNode node, string location)
    {
        var before = _problems.Count;
        CheckKeys(node, location, RuleKeys);
        var line = node.Start.Line;
        var name = StringValue(node, "name", $"{location}.name");
        if (string.IsNullOrWhiteSpace(name))
        {
            Problem(line, location, "rule must have a name");
        }

        var actionNode = Scalar(node, "action");
        var action = actionNode?.Value switch
        {
            null or "evaluate" => RuleAction.Evaluate,
            "deny" => RuleAction.Deny,
            "require_approval" => RuleAction.RequireApproval,
            _ => (RuleAction?)null,
        };
        if (action is null)
        {
            Problem(Line(actionNode, node), $"{location}.action", $"must be \"evaluate\", \"deny\" or \"require_approval\", got {Show(actionNode)}");
        }

        var onDeny = StringValue(node, "on_deny", $"{location}.on_deny");
        var scope = tool == PolicySet.Wildcard ? PolicySet.GlobalScope : tool;
        var hasConditions = node.Children.TryGetValue(new YamlScalarNode("conditions"), out var conditionsNode) && !IsNull(conditionsNode);
        var hasState = node.Children.TryGetValue(new YamlScalarNode("state"), out var stateNode) && !IsNull(stateNode);
        var timeout = ReadApprovalTimeout(node, location, action);

        if (Scalar(node, "rate_limit") is { } rateLimitNode)
        {
            if (hasConditions || hasState)
            {
                Problem(rateLimitNode.Start.Line, location, "rate_limit cannot be combined with conditions or state; use separate rules or the full syntax");
            }

            if (action is RuleAction.Deny or RuleAction.RequireApproval)
            {
                Problem(rateLimitNode.Start.Line, location, $"rate_limit cannot be used with action \"{actionNode!.Value}\"");
            }

            var limit = ReadRateLimit(rateLimitNode, location);
            if (limit is null || _problems.Count > before)
            {
                return null;
            }

            var (count, window) = limit.Value;
            var windowName = WindowName(window);
            var key = $"{scope}._rate_{windowName}";
            _declaredCounters.Add(key);
            return new PolicyRule
            {
                Name = name!,
                Location = location,
                Action = RuleAction.Evaluate,
                Counter = new PolicyCounter { Key = key, Window = window, Limit = count },
                Conditions = [new PolicyCondition
                {
                    Path = $"state.{key}",
                    CounterKey = key,
                    Op = ConditionOp.Lte,
                    Value = JsonNumber(count),
                    IsCounterLimit = true,
                }],
                DenyMessage = onDeny ?? $"Rate limit of {count} per {windowName} reached. Try again later.",
                // Intercept's own default for the shorthand is what users of that format already expect to see.
                HasOwnDenyMessage = true,
            };
        }

        var counter = hasState ? ReadState(tool, scope, stateNode!, $"{location}.state") : null;
        var conditions = hasConditions ? ReadConditions(tool, conditionsNode!, location) : [];
        if (action == RuleAction.Deny && hasConditions)
        {
            Problem(conditionsNode!.Start.Line, location, "deny rules must not have conditions");
        }

        if (action == RuleAction.Evaluate && conditions.Count == 0 && !hasConditions)
        {
            Problem(line, location, "evaluate rules must have at least one condition");
        }

        if (counter is not null)
        {
            // The limit is what an lt/lte on this rule's own counter allows after the call: lte N → N, lt N → N - 1.
            var limitCondition = conditions.FirstOrDefault(c => c.CounterKey == counter.Key && c.Op is ConditionOp.Lt or ConditionOp.Lte);
            if (limitCondition is not null && limitCondition.Value.GetDouble() is var limitValue && limitValue is < 0 or > MaxCount)
            {
                Problem(line, location, $"the limit on state.{counter.Key} must be from 0 to {MaxCount}, got {limitValue.ToString(CultureInfo.InvariantCulture)}");
                return null;
            }

            conditions = [.. conditions.Select(c => c == limitCondition ? Flagged(c) : c)];
            counter = limitCondition is null ? counter : new PolicyCounter
            {
                Key = counter.Key,
                Window = counter.Window,
                Increment = counter.Increment,
                IncrementFrom = counter.IncrementFrom,
                IncrementFromPath = counter.IncrementFromPath,
                Limit = limitCondition.Op == ConditionOp.Lte
                    ? (long)Math.Floor(limitCondition.Value.GetDouble())
                    : (long)Math.Ceiling(limitCondition.Value.GetDouble()) - 1,
            };
        }

        if (_problems.Count > before)
        {
            return null;
        }

        return new PolicyRule
        {
            Name = name!,
            Location = location,
            Action = action!.Value,
            Conditions = conditions,
            Counter = counter,
            DenyMessage = onDeny ?? $"Refused by policy rule \"{name}\".",
            HasOwnDenyMessage = onDeny is not null,
            ApprovalTimeout = timeout,
        };
    }

    private static PolicyCondition Flagged(PolicyCondition condition) => new()
    {
        Path = condition.Path,
        CounterKey = condition.CounterKey,
        Op = condition.Op,
        Value = condition.Value,
        IsCounterLimit = true,
    };

    private TimeSpan ReadApprovalTimeout(YamlMappingNode node, string location, RuleAction? action)
    {
        if (Scalar(node, "approval_timeout") is not { } timeoutNode)
        {
            return PolicySet.DefaultApprovalTimeout;
        }

        if (action != RuleAction.RequireApproval)
        {
            Problem(timeoutNode.Start.Line, $"{location}.approval_timeout", "only applies to action \"require_approval\"");
        }

        if (ParseDuration(timeoutNode.Value) is { } timeout)
        {
            return timeout;
        }

        Problem(timeoutNode.Start.Line, $"{location}.approval_timeout", $"must be a duration such as 90s, 10m, 2h or 1d (at most 1d), got {Show(timeoutNode)}");
        return PolicySet.DefaultApprovalTimeout;
    }

    /// <summary>"90s", "10m", "2h", "1d"; a plain number is seconds.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        var match = text is null ? Match.Empty : DurationPattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return null;
        }

        var unit = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "" or "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(1),
        };
        // Compared before multiplying, so no amount can overflow a TimeSpan.
        return amount <= TimeSpan.FromDays(1).Ticks / unit.Ticks ? unit * amount : null;
    }

    private (long Count, CounterWindow Window)? ReadRateLimit(YamlScalarNode node, string location)
    {
        var parts = (node.Value ?? string.Empty).Split('/', 2);
        if (parts.Length != 2)
        {
            Problem(node.Start.Line, $"{location}.rate_limit", $"must be \"N/minute\", \"N/hour\" or \"N/day\", got {Show(node)}");
            return null;
        }

        var countOk = long.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= MaxCount;
        if (!countOk)
        {
            Problem(node.Start.Line, $"{location}.rate_limit", $"count must be a positive integer, got \"{parts[0]}\"");
        }

        var window = ParseWindow(parts[1].Trim());
        if (window is null)
        {
            Problem(node.Start.Line, $"{location}.rate_limit", $"window must be \"minute\", \"hour\", or \"day\", got \"{parts[1]}\"");
        }

        return countOk && window is not null ? (count, window.Value) : null;
    }

    private PolicyCounter? ReadState(string tool, string scope, YamlNode node, string location)
    {
        if (node is not YamlMappingNode map)
        {
            Problem(node.Start.Line, location, "must be a map with counter and window");
            return null;
        }

        var before = _problems.Count;
        CheckKeys(map, location, StateKeys);
        var counter = StringValue(map, "counter", $"{location}.counter");
        if (string.IsNullOrWhiteSpace(counter))
        {
            Problem(map.Start.Line, location, "counter must not be empty");
        }
        else if (counter.Contains('.', StringComparison.Ordinal))
        {
            Problem(map.Start.Line, $"{location}.counter", $"must not contain '.', got \"{counter}\"");
        }
        else
        {
            _declaredCounters.Add($"{scope}.{counter}");
        }

        var windowNode = Scalar(map, "window");
        var window = ParseWindow(windowNode?.Value);
        if (window is null)
        {
            Problem(Line(windowNode, map), $"{location}.window", $"must be \"minute\", \"hour\", or \"day\", got {Show(windowNode)}");
        }

        long increment = 1;
        if (Scalar(map, "increment") is { } incrementNode &&
            (!long.TryParse(incrementNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out increment) || increment <= 0 || increment > MaxCount))
        {
            Problem(incrementNode.Start.Line, $"{location}.increment", $"must be a positive integer up to {MaxCount}, got {Show(incrementNode)}");
        }

        string[]? incrementFrom = null;
        var incrementFromPath = StringValue(map, "increment_from", $"{location}.increment_from");
        if (incrementFromPath is not null)
        {
            if (!incrementFromPath.StartsWith("args.", StringComparison.Ordinal) || incrementFromPath.Length == "args.".Length)
            {
                Problem(map.Start.Line, $"{location}.increment_from", $"must start with \"args.\", got \"{incrementFromPath}\"");
            }
            else
            {
                incrementFrom = incrementFromPath["args.".Length..].Split('.');
                CheckArgument(tool, incrementFrom[0], map.Start.Line, $"{location}.increment_from");
            }
        }

        return _problems.Count > before ? null : new PolicyCounter
        {
            Key = $"{scope}.{counter}",
            Window = window!.Value,
            Increment = increment,
            IncrementFrom = incrementFrom,
            IncrementFromPath = incrementFromPath,
        };
    }

    private List<PolicyCondition> ReadConditions(string tool, YamlNode node, string location)
    {
        var conditions = new List<PolicyCondition>();
        if (node is not YamlSequenceNode sequence)
        {
            Problem(node.Start.Line, $"{location}.conditions", "must be a list of {path, op, value}");
            return conditions;
        }

        for (var j = 0; j < sequence.Children.Count; j++)
        {
            var conditionLocation = $"{location}.conditions[{j}]";
            if (sequence.Children[j] is not YamlMappingNode map)
            {
                Problem(sequence.Children[j].Start.Line, conditionLocation, "must be a map with path, op and value");
                continue;
            }

            if (ReadCondition(tool, map, conditionLocation) is { } condition)
            {
                conditions.Add(condition);
            }
        }

        return conditions;
    }

    private PolicyCondition? ReadCondition(string tool, YamlMappingNode map, string location)
    {
        var before = _problems.Count;
        var line = map.Start.Line;
        CheckKeys(map, location, ConditionKeys);
        var path = StringValue(map, "path", $"{location}.path") ?? string.Empty;
        string[] argumentPath = [];
        string? counterKey = null;
        if (path.StartsWith("args.", StringComparison.Ordinal) && path.Length > "args.".Length)
        {
            argumentPath = path["args.".Length..].Split('.');
            CheckArgument(tool, argumentPath[0], line, $"{location}.path");
        }
        else if (path.StartsWith("state.", StringComparison.Ordinal) && path.Split('.') is { Length: 3 } parts && parts[1].Length > 0 && parts[2].Length > 0)
        {
            counterKey = $"{parts[1]}.{parts[2]}";
        }
        else
        {
            Problem(line, $"{location}.path", $"must start with \"args.\" or be \"state.<tool>.<counter>\", got \"{path}\"");
        }

        var opNode = Scalar(map, "op");
        if (opNode?.Value is not { } opName || !Ops.TryGetValue(opName, out var op))
        {
            Problem(Line(opNode, map), $"{location}.op", $"unknown operator {Show(opNode)} (known: {string.Join(", ", Ops.Keys)})");
            return null;
        }

        map.Children.TryGetValue(new YamlScalarNode("value"), out var valueNode);
        if (ToJson(valueNode) is not { } value)
        {
            Problem(line, location, $"value is too large: more than {MaxValueNodes} YAML nodes once its aliases are expanded, or nested more than {MaxDepth} levels");
            return null;
        }

        Regex? pattern = null;
        switch (op)
        {
            case ConditionOp.In or ConditionOp.NotIn when value.ValueKind != JsonValueKind.Array:
                Problem(line, location, $"operator \"{opName}\" requires a list value");
                break;
            case ConditionOp.Lt or ConditionOp.Lte or ConditionOp.Gt or ConditionOp.Gte when value.ValueKind != JsonValueKind.Number:
                Problem(line, location, $"operator \"{opName}\" requires a numeric value");
                break;
            case ConditionOp.Exists when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                Problem(line, location, "operator \"exists\" requires a boolean value");
                break;
            case ConditionOp.Regex when value.ValueKind != JsonValueKind.String:
                Problem(line, location, "regex value must be a string");
                break;
            case ConditionOp.Regex:
                try
                {
                    // $ means the end of the text, as in Intercept's RE2 (not "before a final newline", as in .NET).
                    pattern = EcmaPattern.Compile(value.GetString()!, RegexTimeout);
                }
                catch (ArgumentException exception)
                {
                    Problem(line, location, $"invalid regex \"{value.GetString()}\": {exception.Message}");
                }

                break;
            case ConditionOp.Eq or ConditionOp.Neq or ConditionOp.Contains when valueNode is null:
                Problem(line, location, $"operator \"{opName}\" needs a value");
                break;
            default:
                break;
        }

        if (_problems.Count > before)
        {
            return null;
        }

        var condition = new PolicyCondition { Path = path, ArgumentPath = argumentPath, CounterKey = counterKey, Op = op, Value = value, Pattern = pattern };
        if (counterKey is not null)
        {
            _stateReferences.Add((condition, location, line));
        }

        return condition;
    }

    private void CheckStateReferences()
    {
        foreach (var (condition, location, line) in _stateReferences)
        {
            if (!_declaredCounters.Contains(condition.CounterKey!))
            {
                Problem(line, location, $"condition references state.{condition.CounterKey} but no rule defines that counter in a state block");
            }
        }
    }

    private bool CheckToolName(string name, long line, string location)
    {
        if (_tools.ContainsKey(name))
        {
            return true;
        }

        var suggestion = NameSuggestion.Closest(name, _tools.Keys);
        Problem(line, location, suggestion is null
            ? $"this server has no tool named \"{name}\" (it has: {string.Join(", ", _tools.Keys.Order(StringComparer.Ordinal))})"
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

    private YamlScalarNode? Scalar(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar;
        }

        Problem(node.Start.Line, key, "must be a single value, not a list or map");
        return null;
    }

    private string? StringValue(YamlMappingNode map, string key, string location)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Problem(node.Start.Line, location, "must be text, not a list or map");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static CounterWindow? ParseWindow(string? text) => text switch
    {
        "minute" => CounterWindow.Minute,
        "hour" => CounterWindow.Hour,
        "day" => CounterWindow.Day,
        _ => null,
    };

    public static string WindowName(CounterWindow window) => window switch
    {
        CounterWindow.Minute => "minute",
        CounterWindow.Hour => "hour",
        _ => "day",
    };

    /// <summary>
    /// YAML 1.2 core-schema typing: plain scalars may be null, booleans or numbers; quoted ones are text. Null when
    /// the value expands (through aliases) past <see cref="MaxValueNodes"/> nodes or <see cref="MaxDepth"/> levels.
    /// </summary>
    private static JsonElement? ToJson(YamlNode? node)
    {
        var buffer = new MemoryStream();
        var budget = MaxValueNodes;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (!Write(writer, node, 0, ref budget))
            {
                return null;
            }
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static bool Write(Utf8JsonWriter writer, YamlNode? node, int depth, ref int budget)
    {
        if (--budget < 0 || depth > MaxDepth)
        {
            return false;
        }

        switch (node)
        {
            case null:
                writer.WriteNullValue();
                return true;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var child in sequence.Children)
                {
                    if (!Write(writer, child, depth + 1, ref budget))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return true;
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    writer.WritePropertyName((key as YamlScalarNode)?.Value ?? string.Empty);
                    if (!Write(writer, value, depth + 1, ref budget))
                    {
                        return false;
                    }
                }

                writer.WriteEndObject();
                return true;
            case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain or ScalarStyle.Any:
                WritePlain(writer, scalar.Value);
                return true;
            case YamlScalarNode scalar:
                writer.WriteStringValue(scalar.Value);
                return true;
            default:
                writer.WriteNullValue();
                return true;
        }
    }

    private static void WritePlain(Utf8JsonWriter writer, string? text)
    {
        switch (text)
        {
            case null or "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
            default:
                break;
        }

        if (ParseNumber(text) is { } number)
        {
            // Written as a number, never as the raw text: YAML's .5, 5., 0500 and 0x1F are not JSON numbers.
            if (Math.Floor(number) == number && Math.Abs(number) < 9e15)
            {
                writer.WriteNumberValue((long)number);
            }
            else
            {
                writer.WriteNumberValue(number);
            }

            return;
        }

        writer.WriteStringValue(text);
    }

    /// <summary>A YAML 1.2 core-schema number (decimal, 0o octal, 0x hex), when finite.</summary>
    public static double? ParseNumber(string text)
    {
        if (OctalPattern().IsMatch(text) || HexPattern().IsMatch(text))
        {
            var hex = text[1] == 'x';
            var digits = text[2..];
            double value = 0;
            foreach (var digit in digits)
            {
                value = (value * (hex ? 16 : 8)) + Convert.ToInt32(digit.ToString(), hex ? 16 : 8);
            }

            return double.IsFinite(value) ? value : null;
        }

        return NumberPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;
    }

    private static JsonElement JsonNumber(long value)
    {
        using var document = JsonDocument.Parse(value.ToString(CultureInfo.InvariantCulture));
        return document.RootElement.Clone();
    }

    private static long Line(YamlNode? node, YamlNode parent) => (node ?? parent).Start.Line;

    private static string Show(YamlScalarNode? node) => node is null ? "nothing" : $"\"{node.Value}\"";

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
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

    [GeneratedRegex(@"^([0-9]{1,19})(ms|s|m|h|d)?\z")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^0o[0-7]{1,30}\z")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^0x[0-9a-fA-F]{1,30}\z")]
    private static partial Regex HexPattern();
}
