namespace PortkeyAdminMcp.Validation;

/// <summary>Argument shapes shared by several tools, so a rule is written once.</summary>
public static class CommonSchemas
{
    public const string WorkspaceIdPattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$";
    public const string ScopePattern = "^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$";

    public static StringSchema Uuid(string description) => new() { Description = description, Format = StringFormat.Uuid };

    public static StringSchema Name(string description) => new() { Description = description, MinLength = 1, MaxLength = 255 };

    public static StringSchema Text(string description, bool nullable = false) =>
        new() { Description = description, MaxLength = 4096, Nullable = nullable };

    public static StringSchema WorkspaceId(string description) => new()
    {
        Description = description,
        Pattern = WorkspaceIdPattern,
        PatternHint = "must be a workspace UUID or slug (letters, digits, '-' and '_')",
    };

    public static StringSchema DateTime(string description, bool nullable = false) =>
        new() { Description = description, Format = StringFormat.DateTime, Nullable = nullable };

    public static ArraySchema Scopes(string description) => new()
    {
        Description = description,
        MinItems = 1,
        MaxItems = 200,
        UniqueItems = true,
        Items = new StringSchema
        {
            Pattern = ScopePattern,
            PatternHint = "must be a Portkey scope such as completions.write or virtual_keys.read",
        },
    };

    public static ArraySchema Emails(string description) => new()
    {
        Description = description,
        MaxItems = 50,
        UniqueItems = true,
        Items = new StringSchema { Format = StringFormat.Email, MaxLength = 254 },
    };

    public static NumberSchema CreditLimit(string description) =>
        new() { Description = description, Minimum = 1, RequireWhole = true };

    public static NumberSchema AlertThreshold(string description) =>
        new() { Description = description, Minimum = 0, Maximum = 100 };

    public static NumberSchema RateLimitRpm(string description) =>
        new() { Description = description, Minimum = 1, RequireWhole = true };

    public static ObjectSchema Metadata(string description) => new()
    {
        Description = description,
        Extra = ExtraProperties.Map,
        Values = new AnySchema(),
        MaxProperties = 64,
    };

    public static StringSchema ConfigId(string description) => new() { Description = description, MinLength = 1, MaxLength = 255 };
}
