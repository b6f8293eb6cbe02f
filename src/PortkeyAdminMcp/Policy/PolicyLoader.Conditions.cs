using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Schemas;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PortkeyAdminMcp.Policy;

/// <summary>Conditions: path, operator and value, and the counters they read.</summary>
public sealed partial class PolicyLoader
{
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
}
