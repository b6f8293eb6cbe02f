using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Schemas;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PortkeyAdminMcp.Policy;

/// <summary>YAML values: scalars, nulls, YAML 1.2 core-schema numbers, and values as JSON (aliases bounded).</summary>
public sealed partial class PolicyLoader
{
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

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^0o[0-7]{1,30}\z")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^0x[0-9a-fA-F]{1,30}\z")]
    private static partial Regex HexPattern();
}
