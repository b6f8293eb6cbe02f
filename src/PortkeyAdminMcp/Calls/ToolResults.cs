using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Calls;

/// <summary>Shapes every tool result: structured content plus the same JSON as text, or an isError text.</summary>
public static class ToolResults
{
    public static CallToolResult Success<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var element = JsonSerializer.SerializeToElement(value, typeInfo);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = TextOf(element) }],
            StructuredContent = element,
        };
    }

    /// <summary>
    /// The JSON as text for the model: escaped only where JSON requires it. The default HTML-safe escaping would
    /// show the model <c>conversation\u0027s</c> and <c>R\u0026D</c>, and it reads the escapes, not the characters.
    /// </summary>
    public static string TextOf(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    /// <summary>Enough to fix a call; beyond it a list of problems only costs the agent's context.</summary>
    public const int MaxListedErrors = 50;

    public static string InvalidArguments(string tool, IReadOnlyList<FieldError> errors)
    {
        var text = new StringBuilder()
            .Append("Invalid arguments for ").Append(tool).Append(" (nothing was sent to Portkey):");
        foreach (var error in errors.Take(MaxListedErrors))
        {
            text.Append("\n- ").Append(error.Field).Append(": ").Append(error.Problem);
        }

        if (errors.Count > MaxListedErrors)
        {
            text.Append("\n- and ").Append(errors.Count - MaxListedErrors).Append(" more");
        }

        return text.ToString();
    }

    /// <summary>Upstream messages are shown up to this length, after masking.</summary>
    public const int UpstreamMessageLength = 500;

    /// <param name="redact">Masks secrets in Portkey's message before it is cut to length: mask, then cut.</param>
    /// <param name="hints">The tool's own reading of a status, preferred to the generic one.</param>
    public static string Upstream(PortkeyError error, string operation, Func<string, string> redact, IReadOnlyDictionary<int, string>? hints = null)
    {
        var text = new StringBuilder()
            .Append("Portkey refused ").Append(operation).Append(": HTTP ").Append(error.Status.ToString(CultureInfo.InvariantCulture));
        if (error.Code is { } code)
        {
            // A code is a short word (AB03); anything else is not a code and is not dumped.
            text.Append(' ').Append(code.Length <= 32 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? code : "(unreadable code)");
        }

        var message = redact(error.Message);
        text.Append(" - ").Append(message.Length > UpstreamMessageLength ? string.Concat(message.AsSpan(0, UpstreamMessageLength - 3), "...") : message);
        if (error.RetryAfter is { } wait)
        {
            text.Append(" (Portkey asks to wait ").Append(Math.Ceiling(wait.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)).Append(" s before retrying)");
        }

        if ((hints?.GetValueOrDefault(error.Status) ?? error.Hint) is { } hint)
        {
            text.Append("\nHint: ").Append(hint);
        }

        return text.ToString();
    }
}
