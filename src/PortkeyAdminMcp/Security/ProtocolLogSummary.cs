using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Security;

/// <summary>Rewrites the MCP SDK's log entries so that none carries the text of a protocol message.</summary>
public static partial class ProtocolLogSummary
{
    private const string OriginalFormat = "{OriginalFormat}";

    /// <summary>The SDK's categories (server, session handler, transports).</summary>
    public static bool Applies(string category) => category.StartsWith("ModelContextProtocol", StringComparison.Ordinal);

    public static string Format<TState>(TState state, Func<TState, Exception?, string> formatter, Exception? exception)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values ||
            values.FirstOrDefault(v => v.Key == OriginalFormat).Value is not string template)
        {
            // An entry without a template: nothing tells its parts apart, so only its size is kept.
            var text = formatter(state, exception);
            return Plain().IsMatch(text) ? text : $"(log entry of {text.Length.ToString(CultureInfo.InvariantCulture)} characters, not shown)";
        }

        var result = new StringBuilder(template.Length + 32);
        var position = 0;
        foreach (Match hole in Hole().Matches(template))
        {
            result.Append(template, position, hole.Index - position);
            var name = hole.Groups[1].Value;
            var value = values.FirstOrDefault(v => string.Equals(v.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            result.Append(Describe(value));
            position = hole.Index + hole.Length;
        }

        return result.Append(template, position, template.Length - position).ToString();
    }

    /// <summary>A value as it may appear in a log: short plain words as they are, anything else summarised.</summary>
    public static string Describe(object? value)
    {
        var text = value switch
        {
            null => "(null)",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        return Plain().IsMatch(text) ? text : Summarize(text);
    }

    /// <summary>What a JSON-RPC message is, without any of its content: "request id=3 method=tools/call tool=get_api_key (212 bytes)".</summary>
    public static string Summarize(string text)
    {
        var size = $"({text.Length.ToString(CultureInfo.InvariantCulture)} characters)";
        if (text.Length > 1024 * 1024 || !text.TrimStart().StartsWith('{'))
        {
            return $"(text not shown) {size}";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jsonrpc", out _))
            {
                return $"(JSON not shown) {size}";
            }

            var parts = new List<string>();
            var method = Word(root, "method");
            var hasId = root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number;
            parts.Add(method is not null ? hasId ? "request" : "notification" : root.TryGetProperty("error", out _) ? "error response" : "response");
            if (hasId)
            {
                parts.Add("id=" + (Plain().IsMatch(id.ToString()) && id.ToString().Length <= 40 ? id.ToString() : "(long)"));
            }

            if (method is not null)
            {
                parts.Add("method=" + method);
            }

            if (method == "tools/call" && root.TryGetProperty("params", out var parameters) && Word(parameters, "name") is { } tool)
            {
                parts.Add("tool=" + tool);
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number)
            {
                parts.Add("code=" + code.GetRawText());
            }

            parts.Add(size);
            return string.Join(' ', parts);
        }
        catch (JsonException)
        {
            return $"(not JSON, not shown) {size}";
        }
    }

    private static string? Word(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
        Identifier().IsMatch(value.GetString()!)
            ? value.GetString()
            : null;

    // Endpoint names, method names, ids, counts, elapsed times: short text with no quotes, braces or line breaks.
    [GeneratedRegex(@"^[A-Za-z0-9 _./:()',=+#-]{0,120}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();

    [GeneratedRegex(@"^[A-Za-z0-9_./-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?:[,:][^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Hole();
}
