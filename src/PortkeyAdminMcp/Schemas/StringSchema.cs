using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

public enum StringFormat
{
    None,
    Uuid,
    DateTime,
    Email,
}

public sealed class StringSchema : Schema
{
    private static readonly Regex s_uuid = new(
        @"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z",
        RegexOptions.CultureInvariant);

    // \z, not $: .NET's $ also matches before a final newline (see EcmaPattern).
    // ISO 8601 / RFC 3339 date-time with an explicit offset: an expiry without a zone is ambiguous by hours.
    private static readonly Regex s_dateTime = new(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|z|[+-][0-9]{2}:[0-9]{2})\z",
        RegexOptions.CultureInvariant);

    private static readonly Regex s_email = new(
        @"^[^@\s""<>(),;:\\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z",
        RegexOptions.CultureInvariant);

    private Regex? _pattern;
    private string? _patternText;

    protected override string TypeName => "string";

    public IReadOnlyList<string>? Enum { get; init; }

    public StringFormat Format { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Never quote the received value in an error: the field may hold a secret.</summary>
    public bool Sensitive { get; init; }

    /// <summary>A regular expression the value must match, and the words that explain it to an agent.</summary>
    public string? Pattern
    {
        get => _patternText;
        init
        {
            _patternText = value;
            _pattern = value is null ? null : EcmaPattern.Compile(value);
        }
    }

    public string? PatternHint { get; init; }

    /// <summary>A value shaped like a UUID is sent in lower case (ids that may be a UUID or a slug); <see cref="StringFormat.Uuid"/> implies it.</summary>
    public bool LowercaseUuid { get; init; }

    public override JsonElement Normalize(JsonElement value)
    {
        if ((Format != StringFormat.Uuid && !LowercaseUuid) || value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        var text = value.GetString()!;
        return s_uuid.IsMatch(text) && text.Any(char.IsAsciiLetterUpper)
            ? JsonValues.String(text.ToLowerInvariant())
            : value;
    }

    public static bool IsUuid(string text) => s_uuid.IsMatch(text);

    protected override void ValidateValue(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(path, $"must be a string (got {KindOf(value)})"));
            return;
        }

        var text = value.GetString()!;
        if (MinLength is { } min && text.Trim().Length < min)
        {
            errors.Add(new FieldError(path, min == 1 ? "must not be empty" : $"must be at least {min} characters"));
            return;
        }

        if (MaxLength is { } max && text.Length > max)
        {
            errors.Add(new FieldError(path, $"must be at most {max} characters (got {text.Length})"));
            return;
        }

        if (Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(path, $"must be one of {string.Join(", ", allowed)} (got {Quote(text)})"));
            return;
        }

        switch (Format)
        {
            case StringFormat.Uuid when !s_uuid.IsMatch(text):
                errors.Add(new FieldError(path, $"must be a UUID like 123e4567-e89b-12d3-a456-426614174000 (got {Quote(text)})"));
                return;
            case StringFormat.DateTime when !IsDateTime(text):
                errors.Add(new FieldError(path, $"must be an ISO 8601 date-time with a time zone, like 2027-01-31T00:00:00Z (got {Quote(text)})"));
                return;
            case StringFormat.Email when !s_email.IsMatch(text):
                errors.Add(new FieldError(path, $"must be an email address (got {Quote(text)})"));
                return;
        }

        if (_pattern is not null && !_pattern.IsMatch(text))
        {
            errors.Add(new FieldError(path, $"{PatternHint ?? "has an invalid format"} (got {Quote(text)})"));
        }
    }

    public static bool IsDateTime(string text) =>
        s_dateTime.IsMatch(text) &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    private string Quote(string text)
    {
        if (Sensitive)
        {
            return "a value that is not shown";
        }

        var shown = text.Length > 60 ? string.Concat(text.AsSpan(0, 57), "...") : text;
        return "'" + shown + "'";
    }

    protected override void WriteConstraints(Utf8JsonWriter writer, ToolEnvironment environment)
    {
        if (Enum is { } allowed)
        {
            writer.WriteStartArray("enum");
            foreach (var item in allowed)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        var format = Format switch
        {
            StringFormat.Uuid => "uuid",
            StringFormat.DateTime => "date-time",
            StringFormat.Email => "email",
            _ => null,
        };
        if (format is not null)
        {
            writer.WriteString("format", format);
        }

        if (MinLength is { } min)
        {
            writer.WriteNumber("minLength", min);
        }

        if (MaxLength is { } max)
        {
            writer.WriteNumber("maxLength", max);
        }

        if (_patternText is not null)
        {
            writer.WriteString("pattern", _patternText);
        }
    }
}
