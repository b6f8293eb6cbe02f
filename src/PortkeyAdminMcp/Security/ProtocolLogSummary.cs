using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// Rewrites the MCP SDK's log entries so that none carries the text of a protocol message, nor any other value an
/// agent chose (a request id, a method or tool name, a cancellation reason): such values are shown only when they
/// are one of the server's own words (a known method, a known tool, a numeric id).
/// </summary>
public static partial class ProtocolLogSummary
{
    private const string OriginalFormat = "{OriginalFormat}";

    private static HashSet<string> s_knownTools = new(StringComparer.Ordinal);

    /// <summary>The tool names this server has: the only tool names a log line may show.</summary>
    public static void RecognizeTools(IEnumerable<string> names) => s_knownTools = names.ToHashSet(StringComparer.Ordinal);

    /// <summary>The SDK's categories (server, session handler, transports).</summary>
    public static bool Applies(string category) => category.StartsWith("ModelContextProtocol", StringComparison.Ordinal);

    public static string Format<TState>(TState state, Func<TState, Exception?, string> formatter, Exception? exception)
    {
        try
        {
            return FormatSafely(state, formatter, exception);
        }
        catch (Exception failure)
        {
            // A log line must never fail the code that logs it.
            return $"(log entry not shown: {failure.GetType().Name} while summarising it)";
        }
    }

    private static string FormatSafely<TState>(TState state, Func<TState, Exception?, string> formatter, Exception? exception)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values ||
            values.FirstOrDefault(v => v.Key == OriginalFormat).Value is not string template)
        {
            // An entry without a template: nothing tells its parts apart, so only its size is kept.
            var text = formatter(state, exception);
            return $"(log entry of {text.Length.ToString(CultureInfo.InvariantCulture)} characters, not shown)";
        }

        var result = new StringBuilder(template.Length + 32);
        var position = 0;
        foreach (Match hole in Hole().Matches(template))
        {
            result.Append(template, position, hole.Index - position);
            var name = hole.Groups[1].Value;
            var value = values.FirstOrDefault(v => string.Equals(v.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            result.Append(Describe(name, value));
            position = hole.Index + hole.Length;
        }

        return result.Append(template, position, template.Length - position).ToString();
    }

    /// <summary>
    /// A value as it may appear in a log. Numbers, flags and the server's own words as they are; ids, methods and
    /// tool names only when they are the server's own; any other text summarised, never shown.
    /// </summary>
    public static string Describe(string name, object? value)
    {
        if (value is null)
        {
            return "(null)";
        }

        if (value is bool flag)
        {
            return flag ? "true" : "false";
        }

        if (value is int or long or double or float or decimal or TimeSpan or Enum)
        {
            return ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture);
        }

        var text = value.ToString() ?? string.Empty;
        return name.ToLowerInvariant() switch
        {
            "endpointname" or "messagetype" or "transportkind" or "sessionid" => Plain().IsMatch(text) ? text : "(not shown)",
            "method" or "notificationmethod" => KnownMethod(text) ?? "(other method)",
            "toolname" or "promptname" => KnownTool(text) ?? "(unknown tool)",
            "requestid" or "messageid" or "id" => Id(text),
            _ => Summarize(text),
        };
    }

    private static string? KnownMethod(string? method) => method is not null && Method().IsMatch(method) ? method : null;

    private static string? KnownTool(string? tool) => tool is not null && s_knownTools.Contains(tool) ? tool : null;

    /// <summary>Numeric ids as they are (clients count); a string id could be anything an agent typed.</summary>
    private static string Id(string text) => text.Length <= 20 && text.All(char.IsAsciiDigit) ? text : "(string id)";

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
            var hasMethod = root.TryGetProperty("method", out var methodElement) && methodElement.ValueKind == JsonValueKind.String;
            var method = hasMethod ? KnownMethod(methodElement.GetString()) ?? "(other)" : null;
            var hasId = root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number;
            parts.Add(method is not null ? hasId ? "request" : "notification" : root.TryGetProperty("error", out _) ? "error response" : "response");
            if (hasId)
            {
                parts.Add("id=" + Id(id.ValueKind == JsonValueKind.Number ? id.GetRawText() : "s:" + id.GetString()));
            }

            if (method is not null)
            {
                parts.Add("method=" + method);
            }

            if (method == "tools/call" && root.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object &&
                parameters.TryGetProperty("name", out var toolName) && toolName.ValueKind == JsonValueKind.String)
            {
                parts.Add("tool=" + (KnownTool(toolName.GetString()) ?? "(unknown)"));
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

    // Endpoint names, method names, ids, counts, elapsed times: short text with no quotes, braces or line breaks.
    [GeneratedRegex(@"^[A-Za-z0-9 _./:()',=+#-]{0,120}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();

    // The protocol's own method names (MCP 2024-11-05 to 2026-07-28), not whatever a client sent as one.
    [GeneratedRegex(@"^(initialize|ping|server/discover|(notifications|tools|resources|prompts|completion|logging|sampling|elicitation|roots|tasks)(/[a-z_]{1,32}){1,2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Method();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?:[,:][^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Hole();
}
