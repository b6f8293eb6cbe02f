namespace PortkeyAdminMcp.Validation;

/// <summary>Argument shapes shared by several tools, so a rule is written once.</summary>
public static class CommonSchemas
{
    // Every string and list has a published maximum, so no argument can carry an unbounded payload to Portkey.
    public const int NameLength = 255;
    public const int TextLength = 1000;
    public const int IdLength = 128;
    public const int DateTimeLength = 40;
    public const int EmailLength = 254;
    public const int ScopeLength = 100;
    public const int MaxScopes = 200;
    public const int MaxEmails = 100;
    public const int MaxRateLimits = 20;
    public const int MetadataEntries = 64;
    public const int MetadataKeyLength = 128;
    public const int MetadataValueLength = 1024;

    public const string WorkspaceIdPattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$";
    public const string ScopePattern = "^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*){1,}$";

    public static StringSchema Uuid(string? description = null) => new() { Description = description, Format = StringFormat.Uuid };

    public static StringSchema Name(string? description = null) => new() { Description = description, MinLength = 1, MaxLength = NameLength };

    public static StringSchema Text(string? description = null, bool nullable = false) =>
        new() { Description = description, Nullable = nullable, MaxLength = TextLength };

    public static StringSchema WorkspaceId(string? description = null) => new()
    {
        Description = description,
        MaxLength = IdLength,
        Pattern = WorkspaceIdPattern,
        PatternHint = "must be a workspace UUID or slug (letters, digits, '-' and '_')",
        LowercaseUuid = true,
    };

    public static StringSchema DateTime(string? description = null, bool nullable = false) =>
        new() { Description = description, Format = StringFormat.DateTime, Nullable = nullable, MaxLength = DateTimeLength };

    public static ArraySchema Scopes(string? description = null) => new()
    {
        Description = description,
        MinItems = 1,
        MaxItems = MaxScopes,
        UniqueItems = true,
        Items = new StringSchema
        {
            MaxLength = ScopeLength,
            Pattern = ScopePattern,
            PatternHint = "must be a Portkey scope such as completions.write or virtual_keys.read",
        },
    };

    public static ArraySchema Emails(string? description = null, bool nullable = false) => new()
    {
        Description = description,
        Nullable = nullable,
        MaxItems = MaxEmails,
        UniqueItems = true,
        Items = new StringSchema { Format = StringFormat.Email, MaxLength = EmailLength },
    };

    public static NumberSchema CreditLimit(string? description = null, bool nullable = false) =>
        new() { Description = description, Minimum = 1, RequireWhole = true, Nullable = nullable };

    public static NumberSchema AlertThreshold(string? description = null) =>
        new() { Description = description, Minimum = 0, Maximum = 100 };

    public static NumberSchema RateLimitRpm(string? description = null) =>
        new() { Description = description, Minimum = 1, RequireWhole = true };

    public static ObjectSchema Metadata(string? description = null, bool nullable = false) => new()
    {
        Description = description,
        Nullable = nullable,
        Extra = ExtraProperties.Map,
        Values = new AnySchema { MaxJsonLength = MetadataValueLength },
        MaxProperties = MetadataEntries,
        MaxKeyLength = MetadataKeyLength,
    };

    public static StringSchema ConfigId(string? description = null, bool nullable = false) =>
        new() { Description = description, MinLength = 1, MaxLength = NameLength, Nullable = nullable };

    public const long MinimumTransitionMs = 1_800_000;
    public const long WeekMs = 7L * 24 * 3600 * 1000;
    public const long ShortestMonthMs = 28L * 24 * 3600 * 1000;
    public static readonly string[] RateLimitTypes = ["requests", "tokens"];
    public static readonly string[] ApiKeyRateUnits = ["rpd", "rph", "rpm", "rps", "rpw"];
    public static readonly string[] VirtualKeyRateUnits = ["rpd", "rph", "rpm"];
    public static readonly string[] UsageLimitTypes = ["cost", "tokens"];
    public static readonly string[] ResetPeriods = ["weekly", "monthly"];

    public static StringSchema Slug(string? description = null) => new()
    {
        Description = description,
        MaxLength = IdLength,
        Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
        PatternHint = "must be a virtual key slug (letters, digits, '.', '-' and '_')",
    };

    public static BooleanSchema DryRun() => new() { Description = "true: return the exact request, send nothing." };

    public static StringSchema UsageLimitType(bool nullable = false) =>
        new() { Description = "Unit of credit_limit: cost (USD, default) or tokens.", Enum = UsageLimitTypes, Nullable = nullable };

    public static StringSchema PeriodicReset(bool nullable = false) =>
        new() { Description = "Reset usage weekly or monthly.", Enum = ResetPeriods, Nullable = nullable };

    public static NumberSchema PeriodicResetDays(bool nullable = false) =>
        new() { Description = "Reset usage every N days.", Integer = true, Minimum = 1, Maximum = 365, Nullable = nullable };

    public static ObjectSchema RotationPolicy(bool nullable) => new()
    {
        Description = "Auto-rotation: rotation_period or next_rotation_at" + (nullable ? "; null removes it." : "."),
        Nullable = nullable,
        Properties =
        [
            new("rotation_period", new StringSchema { Enum = ResetPeriods }),
            new("next_rotation_at", new StringSchema { Format = StringFormat.DateTime, MaxLength = DateTimeLength }),
            new("key_transition_period_ms", new NumberSchema { Integer = true, Minimum = MinimumTransitionMs }),
        ],
    };

    public static ArraySchema RateLimits(string[] units, bool nullable) => new()
    {
        Description = nullable ? "Replaces all rate limits; null removes them." : null,
        Nullable = nullable,
        MaxItems = MaxRateLimits,
        Items = new ObjectSchema
        {
            Properties =
            [
                new("type", new StringSchema { Enum = RateLimitTypes }),
                new("unit", new StringSchema { Enum = units }),
                new("value", new NumberSchema { Integer = true, Minimum = 0 }),
            ],
            Required = ["type", "unit", "value"],
        },
    };
}
