using static PortkeyAdminMcp.Validation.CommonSchemas;

namespace PortkeyAdminMcp.Validation;

/// <summary>The argument rules of the API-key tools (the seed tools' parameters exactly, plus the rest of the API).</summary>
public static class ApiKeyContracts
{
    public static readonly string[] KeyTypes = ["organisation", "workspace"];
    public static readonly string[] KeySubTypes = ["user", "service"];

    public static readonly ToolContract Create = new()
    {
        Name = "create_api_key",
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("type", new StringSchema { Description = "organisation: Admin key; workspace: one workspace.", Enum = KeyTypes }),
                new("scopes", Scopes("e.g. completions.write, logs.view")),
                new("user_id", Uuid("Required for sub_type user.")),
                new("sub_type", new StringSchema { Enum = KeySubTypes }),
                new("expires_at", DateTime()),
                new("description", Text()),
                new("alert_emails", Emails()),
                new("credit_limit", CreditLimit("USD, or tokens per usage_limit_type.")),
                new("workspace_id", WorkspaceId("UUID or slug; required for type workspace.")),
                new("rate_limit_rpm", RateLimitRpm()),
                new("alert_threshold", AlertThreshold("Percent of credit_limit.")),
                new("default_config_id", ConfigId()),
                new("default_metadata", Metadata()),
                new("usage_limit_type", UsageLimitType()),
                new("periodic_reset", PeriodicReset()),
                new("periodic_reset_days", PeriodicResetDays()),
                new("rate_limits", RateLimits(ApiKeyRateUnits, nullable: false)),
                new("rotation_policy", RotationPolicy(nullable: false)),
                new("allow_config_override", new BooleanSchema { Description = "false: requests cannot override the default config." }),
                new("organisation_id", Uuid()),
                new("dry_run", DryRun()),
            ],
            Required = ["name", "type", "scopes", "sub_type"],
        },
        Rules = CreateRules,
    };

    public static readonly ToolContract Update = new()
    {
        Name = "update_api_key",
        Input = new ObjectSchema
        {
            Properties =
            [
                new("id", Uuid()),
                new("name", Name()),
                new("scopes", Scopes("Replaces the list.")),
                new("expires_at", DateTime("null removes it.", nullable: true)),
                new("description", Text(nullable: true)),
                new("alert_emails", Emails("Replaces the list.", nullable: true)),
                new("credit_limit", CreditLimit("In the limit unit; null removes the usage limit.", nullable: true)),
                new("rate_limit_rpm", RateLimitRpm("Other rate limits are kept.")),
                new("alert_threshold", AlertThreshold("Percent of the new, else current, credit limit.")),
                new("default_metadata", Metadata(nullable: true)),
                new("default_config_id", ConfigId("null unpins it.", nullable: true)),
                new("usage_limit_type", UsageLimitType()),
                new("periodic_reset", PeriodicReset(nullable: true)),
                new("periodic_reset_days", PeriodicResetDays(nullable: true)),
                new("rate_limits", RateLimits(ApiKeyRateUnits, nullable: true)),
                new("rotation_policy", RotationPolicy(nullable: true)),
                new("allow_config_override", new BooleanSchema { Description = "false: requests cannot override the default config." }),
                new("reset_usage", new BooleanSchema { Description = "true: reset usage; reactivates an exhausted key." }),
                new("dry_run", DryRun()),
            ],
            Required = ["id"],
        },
        Rules = UpdateRules,
    };

    public static readonly ToolContract Get = new()
    {
        Name = "get_api_key",
        Input = new ObjectSchema
        {
            Properties = [new("id", Uuid())],
            Required = ["id"],
        },
    };

    public static readonly ToolContract List = new()
    {
        Name = "list_api_keys",
        Input = new ObjectSchema
        {
            Properties =
            [
                new("page_size", new NumberSchema { Integer = true, Minimum = 1, Maximum = 100 }),
                new("current_page", new NumberSchema { Description = "0-based.", Integer = true, Minimum = 0 }),
                new("workspace_id", WorkspaceId()),
            ],
        },
        Rules = args => args.HasValue("current_page") && !args.HasValue("page_size")
            ? [new FieldError("page_size", "is required with current_page")]
            : [],
    };

    public static readonly ToolContract Delete = new()
    {
        Name = "delete_api_key",
        Input = new ObjectSchema
        {
            Properties = [new("id", Uuid()), new("dry_run", DryRun())],
            Required = ["id"],
        },
    };

    public static readonly ToolContract Rotate = new()
    {
        Name = "rotate_api_key",
        Input = new ObjectSchema
        {
            Properties =
            [
                new("id", Uuid()),
                new("key_transition_period_ms", new NumberSchema
                {
                    Description = "How long the old secret keeps working.",
                    Integer = true,
                    Minimum = MinimumTransitionMs,
                }),
                new("dry_run", DryRun()),
            ],
            Required = ["id"],
        },
    };

    public static IEnumerable<ToolContract> All => [Create, Update, Get, List, Delete, Rotate];

    private static IEnumerable<FieldError> CreateRules(ToolArguments args)
    {
        var type = args.String("type");
        var subType = args.String("sub_type");

        if (type == "workspace" && !args.HasValue("workspace_id"))
        {
            yield return new FieldError("workspace_id", "is required when type is workspace");
        }

        if (type == "organisation" && subType == "user")
        {
            yield return new FieldError("sub_type", "user is not valid with type organisation: organisation (Admin) keys are service keys only; use type workspace for a user key");
        }
        else if (subType == "user" && !args.HasValue("user_id"))
        {
            yield return new FieldError("user_id", "is required when sub_type is user");
        }

        if (subType == "service" && args.HasValue("user_id"))
        {
            yield return new FieldError("user_id", "is only for sub_type user; a service key belongs to no user");
        }

        foreach (var error in SharedRules(args, isCreate: true))
        {
            yield return error;
        }
    }

    private static IEnumerable<FieldError> UpdateRules(ToolArguments args)
    {
        foreach (var error in LimitRules.SomethingToUpdate(args, "id"))
        {
            yield return error;
        }

        if (args.Boolean("reset_usage") == false)
        {
            yield return new FieldError("reset_usage", "only true does anything; leave it out to keep the current usage");
        }

        foreach (var error in SharedRules(args, isCreate: false))
        {
            yield return error;
        }
    }

    private static IEnumerable<FieldError> SharedRules(ToolArguments args, bool isCreate) =>
        LimitRules.Shared(args, isCreate).Concat(LimitRules.RotationPolicy(args));
}
