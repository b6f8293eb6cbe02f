using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Limits.LimitSchemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.Providers;

/// <summary>The argument rules of the provider tools (reference §7).</summary>
public static class ProviderContracts
{
    public static readonly string[] RateUnits = ["rpd", "rph", "rpm"];

    /// <summary>A provider's workspace must be given as its UUID: Portkey does not resolve slugs here (reference §1.2).</summary>
    private static StringSchema Workspace(string? description = "Workspace UUID; needed with an Admin key.") => Uuid(description);

    private static StringSchema ProviderSlug() => new()
    {
        MaxLength = IdLength,
        Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
        PatternHint = "must be a provider slug (letters, digits, '.', '-' and '_')",
    };

    public static readonly ToolContract List = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("page_size", PageSize()), new("current_page", CurrentPage()), new("workspace_id", Workspace())],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract Get = new()
    {
        Input = new ObjectSchema { Properties = [new("slug", ProviderSlug()), new("workspace_id", Workspace())], Required = ["slug"] },
    };

    public static readonly ToolContract Create = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("integration_id", new StringSchema
                {
                    Description = "Slug of an integration enabled for the workspace.",
                    MaxLength = IdLength,
                    Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
                    PatternHint = "must be an integration slug",
                }),
                new("workspace_id", Workspace()),
                new("slug", ProviderSlug()),
                new("note", Text()),
                .. LimitSchemas.Flat(RateUnits, isCreate: true),
                new("expires_at", DateTime()),
                new("dry_run", DryRun()),
            ],
            Required = ["name", "integration_id"],
        },
        Rules = args => LimitRules.Shared(args, isCreate: true).Concat(ArgumentRules.FutureDate(args, "expires_at")),
    };

    public static readonly ToolContract Update = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("slug", ProviderSlug()),
                new("workspace_id", Workspace()),
                new("name", Name()),
                new("note", Text(nullable: true)),
                .. LimitSchemas.Flat(RateUnits, isCreate: false),
                new("expires_at", DateTime(nullable: true)),
                new("reset_usage", new BooleanSchema { Description = "true: reset usage; reactivates an exhausted provider." }),
                new("dry_run", DryRun()),
            ],
            Required = ["slug"],
        },
        Rules = args => ArgumentRules.SomethingToUpdate(args, "slug", "workspace_id")
            .Concat(LimitRules.Shared(args, isCreate: false))
            .Concat(ArgumentRules.FutureDate(args, "expires_at")),
    };

    public static readonly ToolContract Delete = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("slug", ProviderSlug()), new("workspace_id", Workspace()), new("dry_run", DryRun())],
            Required = ["slug"],
        },
    };
}
