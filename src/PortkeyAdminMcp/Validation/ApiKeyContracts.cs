using static PortkeyAdminMcp.Validation.CommonSchemas;

namespace PortkeyAdminMcp.Validation;

/// <summary>The argument rules of the API-key tools (names, types and required sets as the seed tools define them).</summary>
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
                new("type", new StringSchema { Description = "organisation (org-wide Admin key) or workspace (scoped to one workspace).", Enum = KeyTypes }),
                new("scopes", Scopes("Permission scopes, e.g. [\"completions.write\", \"logs.view\"].")),
                new("user_id", Uuid("User UUID; required when sub_type is user.")),
                new("sub_type", new StringSchema { Description = "service (service account) or user (tied to user_id). Organisation keys are service only.", Enum = KeySubTypes }),
                new("expires_at", DateTime("Expiry, ISO 8601 with time zone, in the future.")),
                new("description", Text("Description.")),
                new("alert_emails", Emails("Emails that receive usage alerts.")),
                new("credit_limit", CreditLimit("Spending limit in USD (whole number, at least 1).")),
                new("workspace_id", WorkspaceId("Workspace UUID or slug; required when type is workspace.")),
                new("rate_limit_rpm", RateLimitRpm("Requests per minute allowed.")),
                new("alert_threshold", AlertThreshold("Alert at this percentage (0-100) of credit_limit; needs credit_limit.")),
                new("default_config_id", ConfigId("Config applied to every request made with this key.")),
                new("default_metadata", Metadata("Metadata attached to every request made with this key.")),
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
                new("expires_at", DateTime("New expiry (ISO 8601 with time zone), or null to remove the expiry.", nullable: true)),
                new("description", Text("New description.")),
                new("alert_emails", Emails("New alert emails; replaces the list.")),
                new("credit_limit", CreditLimit("New spending limit (whole number, at least 1), in the key's current limit unit.")),
                new("rate_limit_rpm", RateLimitRpm("New requests-per-minute limit; other rate limits are kept.")),
                new("alert_threshold", AlertThreshold("New alert percentage (0-100) of the credit limit (the new one, else the current one).")),
                new("default_metadata", Metadata("New default metadata; replaces the current metadata.")),
                new("default_config_id", ConfigId("New default config id.")),
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

    /// <summary>The time rules that need "now" read it from here, so tests can fix it.</summary>
    public static TimeProvider Clock { get; set; } = TimeProvider.System;

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

        if (args.HasValue("alert_threshold") && !args.HasValue("credit_limit"))
        {
            yield return new FieldError("alert_threshold", "is a percentage of credit_limit, so credit_limit is required with it");
        }

        foreach (var error in FutureDate(args, "expires_at"))
        {
            yield return error;
        }
    }

    private static IEnumerable<FieldError> UpdateRules(ToolArguments args)
    {
        if (!args.Names.Any(name => name != "id"))
        {
            yield return new FieldError("(arguments)", "nothing to update: give at least one field besides id");
        }

        foreach (var error in FutureDate(args, "expires_at"))
        {
            yield return error;
        }
    }

    internal static IEnumerable<FieldError> FutureDate(ToolArguments args, string field)
    {
        if (args.String(field) is { } text && StringSchema.IsDateTime(text) &&
            DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) <= Clock.GetUtcNow())
        {
            yield return new FieldError(field, $"must be in the future (got '{text}')");
        }
    }
}
