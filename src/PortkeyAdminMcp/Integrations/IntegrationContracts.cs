using System.Text.Json;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.Integrations;

/// <summary>
/// The arguments of the integration tools (reference §6). The provider key and every credential in configurations
/// are secrets; configurations is open (Portkey adds auth modes faster than its schema), and a field it does not know
/// by name is treated as a secret.
/// </summary>
public static class IntegrationContracts
{
    public static readonly string[] RateUnits = ["rpm", "rph", "rpd"];
    public const int MaxWorkspaces = 200;
    public const int MaxModels = 500;

    /// <summary>configurations fields that hold no credential (reference §6.3): shown in previews and results.</summary>
    public static readonly IReadOnlySet<string> PlainConfigurationFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "openai_organization", "openai_project", "azure_resource_name", "azure_deployment_config", "azure_auth_mode", "azure_entra_tenant_id",
        "azure_entra_client_id", "azure_managed_client_id", "azure_foundry_url", "azure_api_version", "azure_deployment_name", "aws_auth_type",
        "aws_region", "aws_role_arn", "vertex_auth_type", "vertex_region", "vertex_project_id", "workers_ai_account_id", "snowflake_account",
        "huggingface_base_url", "custom_host", "is_key_required", "vertex_skip_ptu_cost_attribution", "vertex_map_metadata",
    };

    private static StringSchema Plain() => new() { MinLength = 1, MaxLength = TextLength };

    private static StringSchema Secret() => new() { MinLength = 1, MaxLength = ProviderKeyLength, Sensitive = true };

    public static ObjectSchema Configurations() => new()
    {
        Description = "Provider settings as Portkey names them: openai_organization; azure_resource_name, azure_deployment_config, " +
                      "azure_auth_mode; aws_auth_type, aws_region; vertex_auth_type, vertex_region, vertex_service_account_json; custom_host. " +
                      "Credentials here are secrets; a field not listed is treated as one.",
        Properties =
        [
            .. PlainConfigurationFields.Where(f => f is not ("azure_deployment_config" or "is_key_required" or "vertex_skip_ptu_cost_attribution" or "vertex_map_metadata"))
                .Order(StringComparer.Ordinal).Select(f => new KeyValuePair<string, Schema>(f, Plain())),
            new("azure_deployment_config", new ArraySchema
            {
                MinItems = 1,
                MaxItems = 50,
                Items = new ObjectSchema
                {
                    Properties =
                    [
                        new("azure_api_version", new StringSchema { MinLength = 1, MaxLength = 30 }), new("azure_deployment_name", Plain()),
                        new("azure_model_slug", Plain()), new("alias", Plain()), new("is_default", new BooleanSchema()),
                    ],
                    Required = ["azure_api_version", "azure_deployment_name", "azure_model_slug"],
                },
            }),
            new("is_key_required", new BooleanSchema()),
            new("vertex_skip_ptu_cost_attribution", new BooleanSchema()),
            new("vertex_map_metadata", new BooleanSchema()),
            new("azure_entra_client_secret", Secret()),
            new("aws_access_key_id", Secret()),
            new("aws_secret_access_key", Secret()),
            new("vertex_service_account_json", new AnySchema { MaxJsonLength = ProviderKeyLength, Sensitive = true, Description = "The service account's JSON key." }),
            new("custom_headers", new ObjectSchema { Extra = ExtraProperties.Map, Values = Secret(), MaxProperties = 32, MaxKeyLength = 128, Description = "Header values are treated as secrets." }),
        ],
        Extra = ExtraProperties.Map,
        Values = Secret(),
        MaxProperties = 64,
        MaxKeyLength = 128,
    };

    private static StringSchema Slug(string description = "The integration's slug.") => new()
    {
        Description = description,
        MaxLength = IdLength,
        Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
        PatternHint = "must be a slug (letters, digits, '.', '-' and '_')",
    };

    public static ArraySchema SecretMappings() => new()
    {
        Description = "Credentials from a Secret Reference instead of a value: target_field key or configurations.<field>.",
        MaxItems = 32,
        Items = new ObjectSchema
        {
            Properties =
            [
                new("target_field", new StringSchema { MaxLength = 140, Pattern = "^(key|configurations\\.[A-Za-z0-9_]{1,128})$", PatternHint = "must be key or configurations.<field>" }),
                new("secret_reference_id", new StringSchema { MaxLength = IdLength, Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", PatternHint = "must be a secret reference's id or slug" }),
                new("secret_key", new StringSchema { MinLength = 1, MaxLength = NameLength }),
                new("value_format", new StringSchema { Enum = ["json", "string"] }),
            ],
            Required = ["target_field", "secret_reference_id"],
        },
    };

    private static AnySchema PricingAdjustments() => new()
    {
        Description = "{multiplier:{default, request_token, response_token, …}}: numbers ≥ 0 or null; null removes.",
        MaxJsonLength = 8192,
    };

    public static readonly ToolContract List = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("page_size", PageSize()), new("current_page", CurrentPage()),
                new("workspace_id", WorkspaceId("Only those this workspace may use.")),
                new("type", new StringSchema { Enum = ["workspace", "organisation", "all"], Description = "Default all." }),
            ],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract BySlug = new()
    {
        Input = new ObjectSchema { Properties = [new("slug", Slug())], Required = ["slug"] },
    };

    public static readonly ToolContract Delete = new()
    {
        Input = new ObjectSchema { Properties = [new("slug", Slug()), new("dry_run", DryRun())], Required = ["slug"] },
    };

    public static readonly ToolContract Create = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("ai_provider_id", new StringSchema { MaxLength = IdLength, Pattern = "^[a-z0-9][a-z0-9._-]{0,127}$", PatternHint = "must be a provider id such as openai, anthropic, azure-openai, bedrock, vertex-ai", Description = "e.g. openai, anthropic, azure-openai, bedrock, vertex-ai." }),
                new("key", ProviderKey("The provider's API key; never shown again.")),
                new("slug", Slug("Default: generated.")),
                new("description", Text()),
                new("workspace_id", WorkspaceId("Makes it a workspace integration; else organisation-wide.")),
                new("configurations", Configurations()),
                new("create_default_provider", new BooleanSchema { Description = "Workspace integrations: also create a provider (default true)." }),
                new("default_provider_slug", Slug("Slug of that provider.")),
                new("secret_mappings", SecretMappings()),
                new("pricing_adjustments", PricingAdjustments()),
                new("dry_run", DryRun()),
            ],
            Required = ["name", "ai_provider_id"],
        },
        Rules = MappingRules,
    };

    public static readonly ToolContract Update = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("slug", Slug()),
                new("name", Name()),
                new("key", ProviderKey("Replaces the stored provider key.")),
                new("description", Text(nullable: true)),
                new("configurations", Configurations()),
                new("secret_mappings", SecretMappings()),
                new("pricing_adjustments", PricingAdjustments()),
                new("dry_run", DryRun()),
            ],
            Required = ["slug"],
        },
        Rules = args => ArgumentRules.SomethingToUpdate(args, "slug").Concat(MappingRules(args)),
    };

    /// <summary>One mapping per target field; a key given as ${secret:…} is a mapping for key too.</summary>
    private static IEnumerable<FieldError> MappingRules(ToolArguments args)
    {
        if (args.Get("secret_mappings") is not { ValueKind: JsonValueKind.Array } mappings)
        {
            yield break;
        }

        var targets = mappings.EnumerateArray().Select(m => ArgumentRules.Text(m, "target_field")).OfType<string>().ToList();
        foreach (var twice in targets.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new FieldError("secret_mappings", $"maps {twice.Key} more than once");
        }

        if (targets.Contains("key") && args.HasValue("key"))
        {
            yield return new FieldError("key", "is also mapped to a secret reference in secret_mappings; give one or the other");
        }
    }

    public static readonly ToolContract ListChildren = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("slug", Slug()), new("page_size", PageSize(MaxModels)), new("current_page", CurrentPage())],
            Required = ["slug"],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract UpdateModels = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("slug", Slug()),
                new("models", new ArraySchema
                {
                    Description = "The models to set: enabled or not; custom ones (is_custom) are added.",
                    MinItems = 1,
                    MaxItems = MaxModels,
                    Items = new ObjectSchema
                    {
                        Properties =
                        [
                            new("slug", Slug("The model's slug, e.g. gpt-4o.")),
                            new("enabled", new BooleanSchema()),
                            new("is_custom", new BooleanSchema()),
                            new("is_finetune", new BooleanSchema()),
                            new("base_model_slug", Slug("For a fine-tune: the model it is based on.")),
                            new("configurations", new ObjectSchema { Properties = [new("custom_host", new StringSchema { MaxLength = 2048, Pattern = "^https?://[^\\s]+$", PatternHint = "must be an http(s) URL" })] }),
                            new("pricing_config", new AnySchema { MaxJsonLength = 4096, Description = "{type:\"static\", pay_as_you_go:{request_token:{price}, response_token:{price}}}" }),
                        ],
                        Required = ["slug", "enabled"],
                    },
                }),
                new("allow_all_models", new BooleanSchema { Description = "true: models Portkey adds later are enabled too." }),
                new("dry_run", DryRun()),
            ],
            Required = ["slug", "models"],
        },
        Rules = args => ArgumentRules.UniqueBy(args, "models", "slug"),
    };

    public static readonly ToolContract DeleteModel = new()
    {
        Input = new ObjectSchema
        {
            Properties = [new("slug", Slug()), new("model_slug", Slug("A custom model's slug (built-in models are disabled, not deleted).")), new("dry_run", DryRun())],
            Required = ["slug", "model_slug"],
        },
    };

    private static ObjectSchema Access(bool global) => new()
    {
        Properties =
        [
            .. global ? Array.Empty<KeyValuePair<string, Schema>>() : [new("id", WorkspaceId("Workspace UUID or slug."))],
            new("enabled", new BooleanSchema()),
            .. LimitSchemas.Flat(RateUnits, isCreate: false),
            .. global ? Array.Empty<KeyValuePair<string, Schema>>() :
            [
                new("reset_usage", new BooleanSchema { Description = "true: reset usage; reactivates an exhausted workspace." }),
                new("create_default_provider", new BooleanSchema()),
                new("default_provider_slug", Slug("Slug of that provider.")),
            ],
        ],
        Required = global ? ["enabled"] : ["id", "enabled"],
    };

    public static readonly ToolContract UpdateWorkspaces = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("slug", Slug()),
                new("workspaces", new ArraySchema
                {
                    Description = "Per workspace: enabled, and a budget and rate limits as on keys (alert_threshold a percent). Limits not given are kept.",
                    MaxItems = MaxWorkspaces,
                    Items = Access(global: false),
                }),
                new("global_workspace_access", Access(global: true)),
                new("override_existing_workspace_access", new BooleanSchema { Description = "true: the list replaces all access; workspaces not listed lose it." }),
                new("create_default_provider", new BooleanSchema { Description = "Create a provider in each newly enabled workspace (default true)." }),
                new("default_provider_slug", Slug("Slug of those providers.")),
                new("dry_run", DryRun()),
            ],
            Required = ["slug"],
        },
        Rules = WorkspaceRules,
    };

    /// <summary>Each entry's limits checked as the key tools check theirs, with the entry's path in every message.</summary>
    private static IEnumerable<FieldError> WorkspaceRules(ToolArguments args)
    {
        if (!args.Has("workspaces") && !args.Has("global_workspace_access") && !args.HasValue("override_existing_workspace_access"))
        {
            yield return new FieldError("workspaces", "nothing to change: give workspaces, global_workspace_access or override_existing_workspace_access");
        }

        foreach (var error in ArgumentRules.UniqueBy(args, "workspaces", "id"))
        {
            yield return error;
        }

        foreach (var (path, entry) in Entries(args))
        {
            foreach (var error in LimitRules.Shared(entry, isCreate: false))
            {
                yield return error with { Field = $"{path}.{error.Field}" };
            }
        }
    }

    /// <summary>Each workspace entry (and the global one) as arguments of their own, with its path.</summary>
    public static IEnumerable<(string Path, ToolArguments Entry)> Entries(ToolArguments args)
    {
        if (args.Get("workspaces") is { ValueKind: JsonValueKind.Array } list)
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    yield return ($"workspaces[{index}]", Of(item));
                }

                index++;
            }
        }

        if (args.Get("global_workspace_access") is { ValueKind: JsonValueKind.Object } global)
        {
            yield return ("global_workspace_access", Of(global));
        }
    }

    public static ToolArguments Of(JsonElement item) =>
        new(item.EnumerateObject().GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value.Clone(), StringComparer.Ordinal));
}
