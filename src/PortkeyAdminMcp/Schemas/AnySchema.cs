using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

/// <summary>Any JSON value (free-form metadata), bounded in size. Published as a schema with no type.</summary>
public sealed class AnySchema : Schema
{
    protected override string TypeName => "any";

    /// <summary>The most characters the value may take as JSON text; free-form does not mean unbounded.</summary>
    public required int MaxJsonLength { get; init; }

    /// <summary>The whole value is a secret (a service-account JSON): masked wherever the call is shown or recorded.</summary>
    public bool Sensitive { get; init; }

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        var length = value.GetRawText().Length;
        if (length > MaxJsonLength)
        {
            errors.Add(new FieldError(path, $"is too large ({length} characters of JSON; at most {MaxJsonLength})"));
        }
    }

    protected override void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment)
    {
    }

    public override void WriteTo(Utf8JsonWriter writer, ToolEnvironment environment)
    {
        writer.WriteStartObject();
        if (DescriptionIn(environment) is { } description)
        {
            writer.WriteString("description", description);
        }

        writer.WriteEndObject();
    }
}
