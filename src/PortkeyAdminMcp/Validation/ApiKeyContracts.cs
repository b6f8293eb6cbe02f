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
                new("name", Name("Display name.")),
                new("type", new StringSchema { Description = "organisation (org-wide Admin key) or workspace (one workspace).", Enum = KeyTypes }),
                new("scopes", Scopes("Permission scopes, e.g. [\"completions.write\", \"logs.view\"].")),
                new("user_id", Uuid("User UUID; required when sub_type is user.")),
                new("sub_type", new StringSchema { Description = "service, or user (with user_id). Organisation keys are service only.", Enum = KeySubTypes }),
                new("expires_at", DateTime("Expiry, ISO 8601 with time zone, in the future.")),
                new("description", Text("Description.")),
                new("alert_emails", Emails("Emails that receive usage alerts.")),
                new("credit_limit", CreditLimit("Usage limit in USD (or tokens, see usage_limit_type); whole number.")),
                new("workspace_id", WorkspaceId("Workspace UUID or slug; required when type is workspace.")),
                new("rate_limit_rpm", RateLimitRpm("Requests per minute allowed.")),
                new("alert_threshold", AlertThreshold("Alert at this percentage (0-100) of credit_limit.")),
                new("default_config_id", ConfigId("Config applied to every request made with this key.")),
                new("default_metadata", Metadata("Metadata attached to every request made with this key.")),
                new("usage_limit_type", UsageLimitType()),
                new("periodic_reset", PeriodicReset()),
                new("periodic_reset_days", PeriodicResetDays()),
                new("rate_limits", RateLimits(ApiKeyRateUnits, nullable: false)),
                new("rotation_policy", RotationPolicy(nullable: false)),
                new("allow_config_override", new BooleanSchema { Description = "false: requests cannot override default_config_id." }),
                new("organisation_id", Uuid("Organisation UUID (taken from the API key when omitted).")),
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
                new("id", Uuid("UUID of the API key.")),
                new("name", Name("New display name.")),
                new("scopes", Scopes("New scopes; replaces the whole list.")),
                new("expires_at", DateTime("New expiry (ISO 8601 with time zone); null removes it.", nullable: true)),
                new("description", Text("New description.", nullable: true)),
                new("alert_emails", Emails("New alert emails; replaces the list, null removes all.", nullable: true)),
                new("credit_limit", CreditLimit("New usage limit (whole number), in the limit's unit; null removes the usage limit.", nullable: true)),
                new("rate_limit_rpm", RateLimitRpm("New requests-per-minute limit; other rate limits are kept.")),
                new("alert_threshold", AlertThreshold("New alert percentage (0-100) of the credit limit (new, else current).")),
                new("default_metadata", Metadata("New default metadata; replaces it, null removes it.", nullable: true)),
                new("default_config_id", ConfigId("New default config id; null unpins it.", nullable: true)),
                new("usage_limit_type", UsageLimitType()),
                new("periodic_reset", PeriodicReset(nullable: true)),
                new("periodic_reset_days", PeriodicResetDays(nullable: true)),
                new("rate_limits", RateLimits(ApiKeyRateUnits, nullable: true)),
                new("rotation_policy", RotationPolicy(nullable: true)),
                new("allow_config_override", new BooleanSchema { Description = "false: requests cannot override the default config." }),
                new("reset_usage", new BooleanSchema { Description = "true: reset current usage (an exhausted key becomes active)." }),
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
            Properties = [new("id", Uuid("UUID of the API key."))],
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
                new("page_size", new NumberSchema { Description = "Keys per page (1-100).", Integer = true, Minimum = 1, Maximum = 100 }),
                new("current_page", new NumberSchema { Description = "Page number, 0-based as Portkey counts.", Integer = true, Minimum = 0 }),
                new("workspace_id", WorkspaceId("Only keys of this workspace (UUID or slug).")),
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
            Properties = [new("id", Uuid("UUID of the API key to revoke.")), new("dry_run", DryRun())],
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
                new("id", Uuid("UUID of the API key.")),
                new("key_transition_period_ms", new NumberSchema
                {
                    Description = "How long the old secret keeps working, in ms (min 1800000 = 30 min; Portkey's default).",
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
        if (!args.Names.Any(name => name is not ("id" or "dry_run")))
        {
            yield return new FieldError("(arguments)", "nothing to update: give at least one field besides id");
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
        UsageLimits.Rules(args, isCreate)
            .Concat(LimitRules.Exclusive(args, "rate_limit_rpm", "rate_limits"))
            .Concat(LimitRules.RateLimits(args))
            .Concat(LimitRules.RotationPolicy(args))
            .Concat(LimitRules.FutureDate(args, "expires_at"));
}
