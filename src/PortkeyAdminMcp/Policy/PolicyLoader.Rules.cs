using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Schemas;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PortkeyAdminMcp.Policy;

/// <summary>Rules: name, action, rate_limit shorthand, state blocks, approval timeouts.</summary>
public sealed partial class PolicyLoader
{
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
}
