using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

public sealed class NumberSchema : Schema
{
    public bool Integer { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>The published type stays "number" (the seed contract) while whole numbers are still required.</summary>
    public bool RequireWhole { get; init; }

    protected override string TypeName => Integer ? "integer" : "number";

    protected override string Noun => Integer || RequireWhole ? "a whole number" : "a number";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new FieldError(path, $"must be {Noun} (got {KindOf(value)})"));
            return;
        }

        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors.Add(new FieldError(path, "is not a representable number"));
            return;
        }

        if ((Integer || RequireWhole) && (Math.Floor(number) != number || Math.Abs(number) > 9_007_199_254_740_991))
        {
            errors.Add(new FieldError(path, $"must be a whole number (got {FormatNumber(number)})"));
            return;
        }

        if (Minimum is { } min && number < min)
        {
            errors.Add(new FieldError(path, $"must be at least {FormatNumber(min)} (got {FormatNumber(number)})"));
        }
        else if (Maximum is { } max && number > max)
        {
            errors.Add(new FieldError(path, $"must be at most {FormatNumber(max)} (got {FormatNumber(number)})"));
        }
    }

    protected override void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment)
    {
        if (Minimum is { } min)
        {
            writer.WriteNumber("minimum", min);
        }

        if (Maximum is { } max)
        {
            writer.WriteNumber("maximum", max);
        }
    }
}
