namespace PortkeyAdminMcp.Schemas;

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
    public const int MetadataEntries = 64;
    public const int MetadataKeyLength = 128;
    public const int MetadataValueLength = 1024;

    /// <summary>Long enough for a service-account JSON or a certificate chain, bounded all the same.</summary>
    public const int ProviderKeyLength = 32_768;

    public const string WorkspaceIdPattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$";
    public const string ScopePattern = "^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*){1,}$";

    /// <summary>A provider's credential: a secret wherever the call is shown, with the ${env:}/${secret:} forms the server accepts.</summary>
    public static StringSchema ProviderKey(string description) =>
        new() { DescriptionFor = env => description + env.KeyReferences, MinLength = 1, MaxLength = ProviderKeyLength, Sensitive = true };

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

    public static StringSchema Slug(string? description = null) => new()
    {
        Description = description,
        MaxLength = IdLength,
        Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
        PatternHint = "must be a virtual key slug (letters, digits, '.', '-' and '_')",
    };

    public static BooleanSchema DryRun() => new() { Description = "true: return the exact request, send nothing." };

    /// <summary>Page size of a list, as Portkey's list endpoints take it.</summary>
    public static NumberSchema PageSize(int maximum = 100) => new() { Integer = true, Minimum = 1, Maximum = maximum };

    /// <summary>The page to read, counted from 0 as Portkey counts.</summary>
    public static NumberSchema CurrentPage() => new() { Description = "0-based.", Integer = true, Minimum = 0 };

    /// <summary>Paging needs a size: a page number alone would be read against Portkey's default size, whatever that is.</summary>
    public static IEnumerable<FieldError> PagingRules(ToolArguments args) =>
        args.HasValue("current_page") && !args.HasValue("page_size")
            ? [new FieldError("page_size", "is required with current_page")]
            : [];

}
