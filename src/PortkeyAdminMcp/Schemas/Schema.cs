using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

/// <summary>
/// A small JSON Schema subset that serves twice: it is published as a tool's input (or output) schema,
/// and it checks the arguments at run time, because the MCP SDK publishes schemas but enforces none.
/// Keeping both in one object means the schema an agent reads and the rule the server applies cannot drift.
/// </summary>
public abstract class Schema
{
    public string? Description { get; init; }

    /// <summary>
    /// A description that names something of this server's configuration (where secrets go, which references are
    /// allowed): stated by the declaration as a function, filled in once when the schema is published.
    /// </summary>
    public Func<ToolEnvironment, string>? DescriptionFor { get; init; }

    protected string? DescriptionIn(ToolEnvironment environment) => DescriptionFor?.Invoke(environment) ?? Description;

    /// <summary>JSON <c>null</c> is an accepted value (distinct from the argument being absent).</summary>
    public bool Nullable { get; init; }

    protected abstract string TypeName { get; }

    /// <summary>How the type reads in an error message ("a string", "a whole number").</summary>
    protected virtual string Noun => "a " + TypeName;

    public void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!Nullable)
            {
                errors.Add(new FieldError(path, $"must be {Noun}, not null"));
            }

            return;
        }

        ValidateValue(value, path, errors);
    }

    protected abstract void ValidateValue(JsonElement value, string path, List<FieldError> errors);

    /// <summary>
    /// The value in the one spelling Portkey treats it as (a UUID in lower case), so the policy judges and the
    /// request carries exactly the same text. Called only on values that passed <see cref="Validate"/>.
    /// </summary>
    public virtual JsonElement Normalize(JsonElement value) => value;

    public virtual void WriteTo(Utf8JsonWriter writer, ToolEnvironment environment)
    {
        writer.WriteStartObject();
        if (Nullable)
        {
            writer.WriteStartArray("type");
            writer.WriteStringValue(TypeName);
            writer.WriteStringValue("null");
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("type", TypeName);
        }

        if (DescriptionIn(environment) is { } description)
        {
            writer.WriteString("description", description);
        }

        WriteConstraints(writer, environment);
        writer.WriteEndObject();
    }

    protected abstract void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment);

    /// <summary>The schema as published, its configuration-dependent text filled in from <paramref name="environment"/>.</summary>
    public JsonElement ToJsonElement(ToolEnvironment? environment = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteTo(writer, environment ?? ToolEnvironment.Default);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    protected static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>Whether <see cref="Normalize"/> handed back the very value it was given (nothing to rewrite).</summary>
    protected static bool SameJson(JsonElement a, JsonElement b) =>
        a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText();

    protected static string FormatNumber(double number) =>
        number.ToString(Math.Abs(number) < 1e15 ? "0.##########" : "G6", CultureInfo.InvariantCulture);
}
