using static PortkeyAdminMcp.Validation.CommonSchemas;

namespace PortkeyAdminMcp.Validation;

/// <summary>The argument rules of the virtual-key tools.</summary>
public static class VirtualKeyContracts
{
    public const string AzureProvider = "azure-openai";
    public const string ProviderPattern = "^[a-z0-9][a-z0-9._-]{0,63}$";

    private static readonly string[] s_azureFields = ["resource_name", "deployment_name", "api_version"];

    public static readonly ToolContract Create = new()
    {
        Name = "create_virtual_key",
        Input = new ObjectSchema
        {
            Properties =
            [
                new("key", new StringSchema { Description = "The provider's API key to store. Encrypted by Portkey; never shown again.", MinLength = 1, MaxLength = 8192, Sensitive = true }),
                new("name", Name("Display name.")),
                new("note", Text("Note.")),
                new("provider", new StringSchema
                {
                    Description = "Provider slug: openai, anthropic, azure-openai, google, bedrock, vertex-ai, groq, mistral-ai...",
                    Pattern = ProviderPattern,
                    PatternHint = "must be a provider slug such as openai or azure-openai",
                }),
                new("api_version", new StringSchema { Description = "Azure OpenAI API version.", MinLength = 1, MaxLength = 64 }),
                new("credit_limit", CreditLimit("Spending limit in USD (whole number, at least 1).")),
                new("workspace_id", WorkspaceId("Workspace UUID or slug; needed with an Admin API key.")),
                new("resource_name", new StringSchema { Description = "Azure OpenAI resource name.", MinLength = 1, MaxLength = 255 }),
                new("rate_limit_rpm", RateLimitRpm("Requests per minute allowed.")),
                new("alert_threshold", AlertThreshold("Alert at this percentage (0-100) of credit_limit; needs credit_limit.")),
                new("deployment_name", new StringSchema { Description = "Azure OpenAI deployment name.", MinLength = 1, MaxLength = 255 }),
            ],
            Required = ["key", "name", "provider"],
        },
        Rules = CreateRules,
    };

    private static IEnumerable<FieldError> CreateRules(ToolArguments args)
    {
        var provider = args.String("provider");
        if (provider == AzureProvider)
        {
            foreach (var field in s_azureFields.Where(f => !args.HasValue(f)))
            {
                yield return new FieldError(field, "is required when provider is azure-openai");
            }
        }
        else if (provider is not null)
        {
            foreach (var field in s_azureFields.Where(args.Has))
            {
                yield return new FieldError(field, "is only for provider azure-openai");
            }
        }

        if (args.HasValue("alert_threshold") && !args.HasValue("credit_limit"))
        {
            yield return new FieldError("alert_threshold", "is a percentage of credit_limit, so credit_limit is required with it");
        }
    }
}
