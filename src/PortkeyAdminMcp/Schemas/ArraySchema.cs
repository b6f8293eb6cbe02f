using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

public sealed class ArraySchema : Schema
{
    public required Schema Items { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    public bool UniqueItems { get; init; }

    protected override string TypeName => "array";

    protected override string Noun => "an array";

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError(path, $"must be an array (got {KindOf(value)})"));
            return;
        }

        var count = value.GetArrayLength();
        if (MinItems is { } min && count < min)
        {
            errors.Add(new FieldError(path, min == 1 ? "must have at least one item" : $"must have at least {min} items"));
            return;
        }

        if (MaxItems is { } max && count > max)
        {
            errors.Add(new FieldError(path, $"must have at most {max} items (got {count})"));
            return;
        }

        var index = 0;
        HashSet<string>? seen = UniqueItems ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{index}]";
            var before = errors.Count;
            Items.Validate(item, itemPath, errors);
            if (seen is not null && errors.Count == before && !seen.Add(item.GetRawText()))
            {
                errors.Add(new FieldError(itemPath, "is a duplicate"));
            }

            index++;
        }
    }

    public override JsonElement Normalize(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return value;
        }

        var items = value.EnumerateArray().Select(Items.Normalize).ToList();
        return items.Select((item, i) => (item, i)).All(p => SameJson(p.item, value[p.i])) ? value : JsonValues.Array(items);
    }

    protected override void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment)
    {
        writer.WritePropertyName("items");
        Items.WriteTo(writer, environment);
        if (MinItems is { } min)
        {
            writer.WriteNumber("minItems", min);
        }

        if (MaxItems is { } max)
        {
            writer.WriteNumber("maxItems", max);
        }

        if (UniqueItems)
        {
            writer.WriteBoolean("uniqueItems", true);
        }
    }
}
