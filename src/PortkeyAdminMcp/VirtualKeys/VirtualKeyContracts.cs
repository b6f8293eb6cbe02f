using System.Text.Json;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Limits.LimitSchemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.VirtualKeys;

/// <summary>The argument rules of the virtual-key tools.</summary>
public static class VirtualKeyContracts
{
    public const string AzureProvider = "azure-openai";
    public const string ProviderPattern = "^[a-z0-9][a-z0-9._-]{0,63}$";
    public static readonly string[] RateUnits = ["rpd", "rph", "rpm"];

    private static readonly string[] s_flatAzureFields = ["deployment_name", "api_version"];
    private static readonly string[] s_azureFields = ["resource_name", "deployment_name", "api_version", "deployment_config"];

    public static readonly ToolContract Create = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("key", ProviderKey("Provider API key; never shown again.")),
                new("name", Name()),
                new("note", Text()),
                new("provider", new StringSchema
                {
                    Description = "e.g. openai, anthropic, azure-openai, bedrock, vertex-ai",
                    MaxLength = 64,
                    Pattern = ProviderPattern,
                    PatternHint = "must be a provider slug such as openai or azure-openai",
                }),
                new("api_version", AzureText()),
                new("credit_limit", CreditLimit("USD, or tokens per usage_limit_type.")),
                new("workspace_id", WorkspaceId("UUID or slug; needed with an Admin key.")),
                new("resource_name", AzureText()),
                new("rate_limit_rpm", RateLimitRpm()),
                new("alert_threshold", AlertThreshold("Percent of credit_limit.")),
                new("deployment_name", AzureText()),
                new("expires_at", DateTime()),
                new("usage_limit_type", UsageLimitType()),
                new("periodic_reset", PeriodicReset()),
                new("periodic_reset_days", PeriodicResetDays()),
                new("rate_limits", RateLimits(RateUnits, nullable: false)),
                new("deployment_config", DeploymentConfig()),
                new("secret_mappings", SecretMappings()),
                new("dry_run", DryRun()),
            ],
            Required = ["key", "name", "provider"],
        },
        Rules = CreateRules,
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
                new("note", Text(nullable: true)),
                new("credit_limit", CreditLimit("In the limit unit; null removes the usage limit.", nullable: true)),
                new("alert_threshold", AlertThreshold("Percent of the new, else current, credit limit.")),
                new("usage_limit_type", UsageLimitType()),
                new("periodic_reset", PeriodicReset(nullable: true)),
                new("periodic_reset_days", PeriodicResetDays(nullable: true)),
                new("rate_limit_rpm", RateLimitRpm("Other rate limits are kept.")),
                new("rate_limits", RateLimits(RateUnits, nullable: true)),
                new("expires_at", DateTime(nullable: true)),
                new("deployment_config", DeploymentConfig()),
                new("secret_mappings", SecretMappings()),
                new("dry_run", DryRun()),
            ],
            Required = ["slug"],
        },
        Rules = UpdateRules,
    };

    public static readonly ToolContract Get = new()
    {
        Input = new ObjectSchema { Properties = [new("slug", Slug())], Required = ["slug"] },
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
            Properties = [new("slug", Slug()), new("dry_run", DryRun())],
            Required = ["slug"],
        },
    };

    /// <summary>A provider key, or a reference to one: which references work depends on the server's configuration.</summary>
    private static StringSchema AzureText() => new() { MinLength = 1, MaxLength = NameLength };

    private static ArraySchema DeploymentConfig() => new()
    {
        Description = "Azure deployments; model picks by alias, else is_default.",
        MinItems = 1,
        MaxItems = 50,
        Items = new ObjectSchema
        {
            Properties =
            [
                new("deployment_name", AzureText()),
                new("api_version", AzureText()),
                new("alias", AzureText()),
                new("is_default", new BooleanSchema()),
            ],
            Required = ["deployment_name", "api_version"],
        },
    };

    private static ArraySchema SecretMappings() => new()
    {
        Description = "Fill model_config fields from Portkey Secret References.",
        MaxItems = 50,
        Items = new ObjectSchema
        {
            Properties =
            [
                new("target_field", new StringSchema
                {
                    MaxLength = IdLength,
                    Pattern = "^model_config\\.[A-Za-z][A-Za-z0-9_]*$",
                    PatternHint = "must name a model_config field, such as model_config.awsSecretAccessKey",
                }),
                new("secret_reference_id", new StringSchema { MaxLength = IdLength, Pattern = WorkspaceIdPattern, PatternHint = "must be a secret reference UUID or slug", LowercaseUuid = true }),
                new("secret_key", new StringSchema { MinLength = 1, MaxLength = NameLength }),
                new("value_format", new StringSchema { Enum = ["json", "string"] }),
            ],
            Required = ["target_field", "secret_reference_id"],
        },
    };

    private static IEnumerable<FieldError> CreateRules(ToolArguments args)
    {
        var provider = args.String("provider");
        if (provider == AzureProvider)
        {
            if (!args.HasValue("resource_name"))
            {
                yield return new FieldError("resource_name", "is required when provider is azure-openai");
            }

            if (!args.Has("deployment_config"))
            {
                foreach (var field in s_flatAzureFields.Where(f => !args.HasValue(f)))
                {
                    yield return new FieldError(field, "is required when provider is azure-openai (or give deployment_config)");
                }
            }
            else
            {
                foreach (var field in s_flatAzureFields.Where(args.Has))
                {
                    yield return new FieldError(field, "cannot be combined with deployment_config; put it in a deployment_config item");
                }
            }
        }
        else if (provider is not null)
        {
            foreach (var field in s_azureFields.Where(args.Has))
            {
                yield return new FieldError(field, "is only for provider azure-openai");
            }
        }

        foreach (var error in SharedRules(args, isCreate: true))
        {
            yield return error;
        }
    }

    private static IEnumerable<FieldError> UpdateRules(ToolArguments args) =>
        ArgumentRules.SomethingToUpdate(args, "slug").Concat(SharedRules(args, isCreate: false));

    private static IEnumerable<FieldError> SharedRules(ToolArguments args, bool isCreate) =>
        LimitRules.Shared(args, isCreate)
            .Concat(ArgumentRules.FutureDate(args, "expires_at"))
            .Concat(DefaultDeployment(args))
            .Concat(UniqueTargets(args));

    private static IEnumerable<FieldError> DefaultDeployment(ToolArguments args)
    {
        if (args.Get("deployment_config") is not { ValueKind: JsonValueKind.Array } deployments)
        {
            yield break;
        }

        var defaults = deployments.EnumerateArray().Count(d =>
            d.ValueKind == JsonValueKind.Object && d.TryGetProperty("is_default", out var flag) && flag.ValueKind == JsonValueKind.True);
        if (defaults > 1)
        {
            yield return new FieldError("deployment_config", "marks more than one deployment is_default");
        }
        else if (defaults == 0 && deployments.GetArrayLength() > 1)
        {
            yield return new FieldError("deployment_config", "has several deployments; mark exactly one is_default");
        }
    }

    private static IEnumerable<FieldError> UniqueTargets(ToolArguments args)
    {
        if (args.Get("secret_mappings") is not { ValueKind: JsonValueKind.Array } mappings)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var mapping in mappings.EnumerateArray())
        {
            if (mapping.ValueKind == JsonValueKind.Object && mapping.TryGetProperty("target_field", out var target) &&
                target.ValueKind == JsonValueKind.String && !seen.Add(target.GetString()!))
            {
                yield return new FieldError($"secret_mappings[{index}].target_field", "is mapped twice");
            }

            index++;
        }
    }
}
