using System.Text.Json;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Limits.LimitSchemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.ApiKeys;

/// <summary>The argument rules of the API-key tools (the seed tools' parameters exactly, plus the rest of the API).</summary>
public static class ApiKeyContracts
{
    public static readonly string[] KeyTypes = ["organisation", "workspace"];
    public static readonly string[] KeySubTypes = ["user", "service"];
    public static readonly string[] RateUnits = ["rpd", "rph", "rpm", "rps", "rpw"];

    public const long MinimumTransitionMs = 1_800_000;
    public const long WeekMs = 7L * 24 * 3600 * 1000;
    public const long ShortestMonthMs = 28L * 24 * 3600 * 1000;

    public static readonly ToolContract Create = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("type", new StringSchema { Description = "organisation: Admin key; workspace: one workspace.", Enum = KeyTypes }),
                new("scopes", Scopes("e.g. completions.write, logs.view")),
                new("user_id", Uuid("Required for sub_type user; list_all_users finds it.")),
                new("sub_type", new StringSchema { Enum = KeySubTypes }),
                new("expires_at", DateTime()),
                new("description", Text()),
                new("alert_emails", Emails()),
                new("credit_limit", CreditLimit("USD, or tokens per usage_limit_type.")),
                new("workspace_id", WorkspaceId("UUID or slug; required for type workspace; list_workspaces finds it.")),
                new("rate_limit_rpm", RateLimitRpm()),
                new("alert_threshold", AlertThreshold("Percent of credit_limit.")),
                new("default_config_id", ConfigId()),
                new("default_metadata", Metadata()),
                new("usage_limit_type", UsageLimitType()),
                new("periodic_reset", PeriodicReset()),
                new("periodic_reset_days", PeriodicResetDays()),
                new("rate_limits", RateLimits(RateUnits, nullable: false)),
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
                new("rate_limits", RateLimits(RateUnits, nullable: true)),
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
        Input = new ObjectSchema
        {
            Properties = [new("id", Uuid())],
            Required = ["id"],
        },
    };

    public static readonly ToolContract List = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("page_size", PageSize()),
                new("current_page", CurrentPage()),
                new("workspace_id", WorkspaceId()),
            ],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract Delete = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("id", Uuid()), new("dry_run", DryRun())],
            Required = ["id"],
        },
    };

    public static readonly ToolContract Rotate = new()
    {
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

    private static IEnumerable<FieldError> CreateRules(ToolArguments args)
    {
        var type = args.String("type");
        var subType = args.String("sub_type");

        if (type == "workspace" && !args.HasValue("workspace_id"))
        {
            yield return new FieldError("workspace_id", "is required when type is workspace (list_workspaces finds its id)");
        }

        if (type == "organisation" && subType == "user")
        {
            yield return new FieldError("sub_type", "user is not valid with type organisation: organisation (Admin) keys are service keys only; use type workspace for a user key");
        }
        else if (subType == "user" && !args.HasValue("user_id"))
        {
            yield return new FieldError("user_id", "is required when sub_type is user (list_all_users finds it by email)");
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
        foreach (var error in ArgumentRules.SomethingToUpdate(args, "id"))
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
        LimitRules.Shared(args, isCreate).Concat(ArgumentRules.FutureDate(args, "expires_at")).Concat(RotationPolicyRules(args));

    private static ObjectSchema RotationPolicy(bool nullable) => new()
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

    private static IEnumerable<FieldError> RotationPolicyRules(ToolArguments args, string field = "rotation_policy")
    {
        if (args.Get(field) is not { ValueKind: JsonValueKind.Object } policy)
        {
            yield break;
        }

        var period = Member(policy, "rotation_period");
        var next = Member(policy, "next_rotation_at");
        if ((period is null) == (next is null))
        {
            yield return new FieldError(field, "needs exactly one of rotation_period and next_rotation_at");
        }

        if (next is not null)
        {
            foreach (var error in ArgumentRules.FutureDate(next, field + ".next_rotation_at"))
            {
                yield return error;
            }
        }

        if (period is not null && policy.TryGetProperty("key_transition_period_ms", out var transition) && transition.TryGetDouble(out var ms))
        {
            var limit = period == "weekly" ? WeekMs : ShortestMonthMs;
            if (ms >= limit)
            {
                yield return new FieldError(field + ".key_transition_period_ms", $"must be shorter than the {period} rotation period ({limit} ms)");
            }
        }
    }

    private static string? Member(JsonElement item, string name) => ArgumentRules.Text(item, name);
}
