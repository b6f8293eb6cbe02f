using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

public sealed class BooleanSchema : Schema
{
    protected override string TypeName => "boolean";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new FieldError(path, $"must be true or false (got {KindOf(value)})"));
        }
    }

    protected override void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment)
    {
    }
}
