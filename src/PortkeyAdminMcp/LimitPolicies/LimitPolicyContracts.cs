using System.Text.Json;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.LimitPolicies;

/// <summary>
/// The arguments of the usage-limit and rate-limit policy tools (reference §9, §10), checked before anything is sent:
/// condition and group_by keys as Portkey's policy docs define them for each kind and target, types, units, limits.
/// </summary>
public static class LimitPolicyContracts
{
    public static readonly string[] UsageTypes = ["cost", "tokens", "requests"];
    public static readonly string[] RateTypes = ["requests", "tokens"];
    public static readonly string[] RateUnits = ["rpm", "rph", "rpd", "rpw"];
    public static readonly string[] Targets = ["llm", "mcp_tools"];
    public static readonly string[] EndpointTypes = ["chatComplete", "embed", "imageGenerate"];

    /// <summary>Keys a usage-limit policy or an llm rate-limit policy matches and groups on (gateway docs).</summary>
    private static readonly string[] s_llmKeys = ["api_key", "workspace_id", "organisation_id", "virtual_key", "provider", "config", "prompt", "model"];

    /// <summary>Keys of an mcp_tools rate-limit policy.</summary>
    private static readonly string[] s_mcpKeys = ["api_key", "workspace_id", "mcp_server", "mcp_tool"];

    public const int MaxConditions = 20;
    public const int MaxValues = 100;
    public const int DescriptionLength = 500;

    /// <summary>The keys a policy of this kind may use; <c>metadata.&lt;name&gt;</c> is always allowed.</summary>
    public static IReadOnlyList<string> KeysFor(bool rate, string? target) =>
        target == "mcp_tools" ? s_mcpKeys : rate ? [.. s_llmKeys, "endpoint_type"] : s_llmKeys;

    private static readonly AnySchema s_values = new()
    {
        Description = "A string, or a list of strings (any of them matches); \"*\" matches every value.",
        MaxJsonLength = 16 * 1024,
    };

    public static ArraySchema Conditions(bool nullable = false) => new()
    {
        Description = "Which requests count: all must match. key: api_key, workspace_id, metadata.<name>, virtual_key, provider, config, " +
                      "prompt, model (rate limits also endpoint_type; mcp_tools targets: api_key, workspace_id, mcp_server, mcp_tool, metadata.<name>).",
        Nullable = nullable,
        MinItems = 1,
        MaxItems = MaxConditions,
        Items = new ObjectSchema
        {
            Properties = [new("key", new StringSchema { MaxLength = 140 }), new("value", s_values), new("excludes", s_values)],
            Required = ["key", "value"],
        },
    };

    public static ArraySchema GroupBy() => new()
    {
        Description = "One counter per combination of these keys' values (same keys as conditions).",
        MinItems = 1,
        MaxItems = MaxConditions,
        Items = new ObjectSchema { Properties = [new("key", new StringSchema { MaxLength = 140 })], Required = ["key"] },
    };

    private static StringSchema PolicyId(string? description = null) => Uuid(description ?? "The policy's UUID.");

    private static StringSchema Status(params string[] values) => new() { Enum = values, Description = "Portkey shows active ones unless asked." };

    private static StringSchema Description(bool nullable = false) => new() { MaxLength = DescriptionLength, Nullable = nullable };

    // ----- usage-limit policies -----

    public static readonly ToolContract ListUsage = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("workspace_id", WorkspaceId()), new("status", Status("active", "archived")), new("type", new StringSchema { Enum = UsageTypes }),
                new("page_size", PageSize()), new("current_page", CurrentPage()),
            ],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract GetUsage = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("id", PolicyId()), new("status", Status("active", "archived")),
                new("include_usage", new BooleanSchema { Description = "true: each value's current usage too." }),
            ],
            Required = ["id"],
        },
    };

    public static readonly ToolContract CreateUsage = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("description", Description()),
                new("conditions", Conditions()),
                new("group_by", GroupBy()),
                new("type", new StringSchema { Enum = UsageTypes, Description = "cost (USD), tokens or requests." }),
                new("credit_limit", LimitSchemas.CreditLimit("In the type's unit: at least 1 USD, 100 tokens or 1 request.")),
                new("alert_threshold", LimitSchemas.AlertThreshold("Percent of credit_limit, as on keys; sent as the amount Portkey stores.")),
                new("periodic_reset", LimitSchemas.PeriodicReset()),
                new("periodic_reset_days", LimitSchemas.PeriodicResetDays()),
                new("workspace_id", WorkspaceId("Workspace the policy applies in; with an Admin key.")),
                new("dry_run", DryRun()),
            ],
            Required = ["name", "conditions", "group_by", "type", "credit_limit"],
        },
        Rules = args => PolicyRules(args, rate: false).Concat(ResetRules(args)).Concat(MinimumCredit(args, args.String("type"))),
    };

    public static readonly ToolContract UpdateUsage = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("id", PolicyId()),
                new("name", Name()),
                new("description", Description(nullable: true)),
                new("conditions", Conditions()),
                new("credit_limit", LimitSchemas.CreditLimit("In the policy's unit; the alert keeps its percentage.")),
                new("alert_threshold", LimitSchemas.AlertThreshold("Percent of the new, else current, credit limit.")),
                new("periodic_reset", LimitSchemas.PeriodicReset(nullable: true)),
                new("periodic_reset_days", LimitSchemas.PeriodicResetDays(nullable: true)),
                new("reset_usage_for_value", new StringSchema { MaxLength = 1024, Description = "Zero one value's counter (a value_key from list_usage_limit_entities)." }),
                new("dry_run", DryRun()),
            ],
            Required = ["id"],
        },
        Rules = args => ArgumentRules.SomethingToUpdate(args, "id").Concat(PolicyRules(args, rate: false)).Concat(ResetRules(args)),
    };

    public static readonly ToolContract PolicyById = new()
    {
        Input = new ObjectSchema { Properties = [new("id", PolicyId()), new("dry_run", DryRun())], Required = ["id"] },
    };

    public static readonly ToolContract ListEntities = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("limit_id", PolicyId("The usage-limit policy's UUID.")), new("status", new StringSchema { Enum = ["active", "exhausted"] }),
                new("search", new StringSchema { MaxLength = NameLength, Description = "Part of a value_key." }),
                new("page_size", PageSize()), new("current_page", CurrentPage()),
            ],
            Required = ["limit_id"],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract ResetEntity = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("limit_id", PolicyId("The usage-limit policy's UUID.")),
                new("entity_id", new StringSchema { MaxLength = IdLength, Pattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$", PatternHint = "must be an entity id from list_usage_limit_entities" }),
                new("dry_run", DryRun()),
            ],
            Required = ["limit_id", "entity_id"],
        },
    };

    // ----- rate-limit policies -----

    public static readonly ToolContract ListRate = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("workspace_id", WorkspaceId()), new("status", Status("active", "archived")), new("type", new StringSchema { Enum = RateTypes }),
                new("unit", new StringSchema { Enum = RateUnits }), new("page_size", PageSize()), new("current_page", CurrentPage()),
            ],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract GetRate = new()
    {
        Input = new ObjectSchema { Properties = [new("id", PolicyId()), new("status", Status("active", "archived"))], Required = ["id"] },
    };

    public static readonly ToolContract CreateRate = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("description", Description()),
                new("conditions", Conditions()),
                new("group_by", GroupBy()),
                new("type", new StringSchema { Enum = RateTypes }),
                new("unit", new StringSchema { Enum = RateUnits, Description = "Per minute, hour, day or week." }),
                new("value", new NumberSchema { Integer = true, Minimum = 1, Maximum = 1_000_000_000, Description = "Requests or tokens per unit." }),
                new("target", new StringSchema { Enum = Targets, Description = "llm (default) or mcp_tools; cannot change later." }),
                new("workspace_id", WorkspaceId("Workspace the policy applies in; with an Admin key.")),
                new("dry_run", DryRun()),
            ],
            Required = ["name", "conditions", "group_by", "type", "unit", "value"],
        },
        Rules = args => PolicyRules(args, rate: true),
    };

    public static readonly ToolContract UpdateRate = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("id", PolicyId()),
                new("name", Name()),
                new("description", Description(nullable: true)),
                new("conditions", Conditions()),
                new("unit", new StringSchema { Enum = RateUnits }),
                new("value", new NumberSchema { Integer = true, Minimum = 1, Maximum = 1_000_000_000 }),
                new("target", new StringSchema { Enum = Targets, Description = "The policy's target, to check condition keys against (default llm); never sent." }),
                new("dry_run", DryRun()),
            ],
            Required = ["id"],
        },
        Rules = args => ArgumentRules.SomethingToUpdate(args, "id", "target").Concat(PolicyRules(args, rate: true)),
    };

    /// <summary>Every condition and group_by entry: a known key for this kind, values that are strings, all problems at once.</summary>
    public static IEnumerable<FieldError> PolicyRules(ToolArguments args, bool rate)
    {
        var keys = KeysFor(rate, args.String("target"));
        foreach (var (field, entries) in new[] { ("conditions", args.Get("conditions")), ("group_by", args.Get("group_by")) })
        {
            if (entries is not { ValueKind: JsonValueKind.Array } list)
            {
                continue;
            }

            var index = 0;
            foreach (var entry in list.EnumerateArray())
            {
                var path = $"{field}[{index++}]";
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("key", out var keyValue) || keyValue.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var key = keyValue.GetString()!;
                if (!IsKnownKey(key, keys))
                {
                    yield return new FieldError($"{path}.key", $"must be one of {string.Join(", ", keys)} or metadata.<name> for this policy (got '{key}')");
                }

                if (field != "conditions")
                {
                    continue;
                }

                foreach (var part in new[] { "value", "excludes" })
                {
                    if (entry.TryGetProperty(part, out var values) && ValuesProblem(values) is { } problem)
                    {
                        yield return new FieldError($"{path}.{part}", problem);
                    }
                    else if (key == "endpoint_type" && entry.TryGetProperty(part, out values) &&
                             Strings(values).FirstOrDefault(v => v != "*" && !EndpointTypes.Contains(v)) is { } unknown)
                    {
                        yield return new FieldError($"{path}.{part}", $"must be {string.Join(", ", EndpointTypes)} or * for endpoint_type (got '{unknown}')");
                    }
                }
            }
        }
    }

    private static bool IsKnownKey(string key, IReadOnlyList<string> keys) =>
        keys.Contains(key) || (key.StartsWith("metadata.", StringComparison.Ordinal) && key.Length > "metadata.".Length && key.Length <= 137);

    private static string? ValuesProblem(JsonElement values) => values.ValueKind switch
    {
        JsonValueKind.String when values.GetString()!.Length is > 0 and <= NameLength => null,
        JsonValueKind.String => $"must be 1 to {NameLength} characters",
        JsonValueKind.Array when values.GetArrayLength() is 0 or > MaxValues => $"must list 1 to {MaxValues} values",
        JsonValueKind.Array when values.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length is > 0 and <= NameLength) => null,
        JsonValueKind.Array => $"must list strings of 1 to {NameLength} characters",
        _ => "must be a string or a list of strings",
    };

    private static IEnumerable<string> Strings(JsonElement values) => values.ValueKind == JsonValueKind.Array
        ? values.EnumerateArray().Select(v => v.GetString() ?? string.Empty)
        : [values.GetString() ?? string.Empty];

    private static IEnumerable<FieldError> ResetRules(ToolArguments args) =>
        args.HasValue("periodic_reset") && args.HasValue("periodic_reset_days")
            ? [new FieldError("periodic_reset_days", "cannot be combined with periodic_reset; choose one")]
            : [];

    private static IEnumerable<FieldError> MinimumCredit(ToolArguments args, string? type) =>
        args.Number("credit_limit") is { } limit && type is not null && limit < UsageLimits.MinimumCredit(type)
            ? [new FieldError("credit_limit", $"must be at least {UsageLimits.MinimumCredit(type)} for a {type} policy")]
            : [];
}
