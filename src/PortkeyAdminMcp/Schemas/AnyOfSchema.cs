using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

/// <summary>A value that matches at least one of several object shapes (a write tool's result, or its dry run).</summary>
public sealed class AnyOfSchema : Schema
{
    public required IReadOnlyList<Schema> Options { get; init; }

    protected override string TypeName => "object";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        List<FieldError>? closest = null;
        foreach (var option in Options)
        {
            var attempt = new List<FieldError>();
            option.Validate(value, path, attempt);
            if (attempt.Count == 0)
            {
                return;
            }

            if (closest is null || attempt.Count < closest.Count)
            {
                closest = attempt;
            }
        }

        errors.AddRange(closest ?? []);
    }

    protected override void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment)
    {
        writer.WriteStartArray("anyOf");
        foreach (var option in Options)
        {
            option.WriteTo(writer, environment);
        }

        writer.WriteEndArray();
    }
}
