using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>Shapes every tool result: structured content plus the same JSON as text, or an isError text.</summary>
public static class ToolResults
{
    public static CallToolResult Success<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var element = JsonSerializer.SerializeToElement(value, typeInfo);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    public static string InvalidArguments(string tool, IReadOnlyList<FieldError> errors)
    {
        var text = new StringBuilder()
            .Append("Invalid arguments for ").Append(tool).Append(" (nothing was sent to Portkey):");
        foreach (var error in errors)
        {
            text.Append("\n- ").Append(error.Field).Append(": ").Append(error.Problem);
        }

        return text.ToString();
    }

    public static string Upstream(PortkeyError error, string operation)
    {
        var text = new StringBuilder()
            .Append("Portkey refused ").Append(operation).Append(": HTTP ").Append(error.Status);
        if (error.Code is not null)
        {
            text.Append(' ').Append(error.Code);
        }

        text.Append(" - ").Append(error.Message);
        if (error.RetryAfter is { } wait)
        {
            text.Append($" (Portkey asks to wait {Math.Ceiling(wait.TotalSeconds):0} s before retrying)");
        }

        if (error.Hint is { } hint)
        {
            text.Append("\nHint: ").Append(hint);
        }

        return text.ToString();
    }
}
