using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Limits.LimitSchemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.Workspaces;

/// <summary>The argument rules of the workspace and member tools (reference §2, §3).</summary>
public static class WorkspaceContracts
{
    /// <summary>Workspace budgets and rate limits take the units Portkey's RateLimits allow here: no rps or rpw.</summary>
    public static readonly string[] RateUnits = ["rpd", "rph", "rpm"];
    public static readonly string[] MemberRoles = ["admin", "manager", "member"];
    public static readonly string[] Statuses = ["active", "archived"];
    public const int MaxMembers = 100;
    public const int MaxGuardrails = 50;

    /// <summary>Pages of members: Portkey's documented defaults are unusable (page 50 of size 0), so a size is always sent.</summary>
    public const long MemberPageSize = 50;

    private static StringSchema UserId() => Uuid("From list_all_users.");

    public static readonly ToolContract List = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("page_size", PageSize()),
                new("current_page", CurrentPage()),
                new("name", Name("Name contains this (case-sensitive).")),
                new("exact_name", Name()),
                new("status", new StringSchema { Enum = Statuses, Description = "archived needs an owner or admin." }),
            ],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract Get = new()
    {
        Input = new ObjectSchema { Properties = [new("workspace_id", WorkspaceId("UUID or slug."))], Required = ["workspace_id"] },
    };

    public static readonly ToolContract Create = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("description", Text()),
                new("metadata", Metadata("Default metadata of requests in it.")),
                new("users", new ArraySchema { Description = "User ids to add as members.", MaxItems = MaxMembers, UniqueItems = true, Items = Uuid() }),
                .. LimitSchemas.Flat(RateUnits, isCreate: true),
                new("dry_run", DryRun()),
            ],
            Required = ["name"],
        },
        Rules = args => LimitRules.Shared(args, isCreate: true),
    };

    public static readonly ToolContract Update = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("workspace_id", WorkspaceId("UUID or slug.")),
                new("name", Name()),
                new("description", Text()),
                new("metadata", Metadata("Replaces the default metadata; null clears it.", nullable: true)),
                new("input_guardrails", Guardrails()),
                new("output_guardrails", Guardrails()),
                new("user_api_key_config", ConfigId("Config of its user keys; null clears.", nullable: true)),
                .. LimitSchemas.Flat(RateUnits, isCreate: false),
                new("dry_run", DryRun()),
            ],
            Required = ["workspace_id"],
        },
        Rules = args => ArgumentRules.SomethingToUpdate(args, "workspace_id").Concat(LimitRules.Shared(args, isCreate: false)),
    };

    public static readonly ToolContract Delete = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("workspace_id", WorkspaceId("UUID or slug.")), new("dry_run", DryRun())],
            Required = ["workspace_id"],
        },
    };

    public static readonly ToolContract ListMembers = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("workspace_id", WorkspaceId()),
                new("page_size", PageSize()),
                new("current_page", CurrentPage()),
                new("role", new StringSchema { Enum = MemberRoles }),
                new("email", new StringSchema { Format = StringFormat.Email, MaxLength = EmailLength }),
            ],
            Required = ["workspace_id"],
        },
    };

    public static readonly ToolContract GetMember = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("workspace_id", WorkspaceId()), new("user_id", UserId())],
            Required = ["workspace_id", "user_id"],
        },
    };

    /// <summary>Adding and changing a member take the same arguments.</summary>
    public static readonly ToolContract SetMember = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("workspace_id", WorkspaceId()),
                new("user_id", UserId()),
                new("role", new StringSchema { Enum = MemberRoles }),
                new("dry_run", DryRun()),
            ],
            Required = ["workspace_id", "user_id", "role"],
        },
    };

    public static readonly ToolContract RemoveMember = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("workspace_id", WorkspaceId()), new("user_id", UserId()), new("dry_run", DryRun())],
            Required = ["workspace_id", "user_id"],
        },
    };

    private static ArraySchema Guardrails() => new()
    {
        Description = "Guardrail ids; replaces the list.",
        MaxItems = MaxGuardrails,
        UniqueItems = true,
        Items = new StringSchema { MinLength = 1, MaxLength = IdLength },
    };
}
