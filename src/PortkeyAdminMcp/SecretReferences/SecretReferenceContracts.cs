using System.Text.Json;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.SecretReferences;

/// <summary>
/// The arguments of the secret-reference tools (reference §8). auth_config is checked against its manager_type's
/// variants (the OpenAPI discriminator cannot be used: it names an AWS field for all three managers); its credentials
/// are secrets, and each may be given as ${env:NAME}.
/// </summary>
public static class SecretReferenceContracts
{
    public static readonly string[] ManagerTypes = ["aws_sm", "azure_kv", "hashicorp_vault"];

    /// <summary>Per manager: the field that picks the variant, and per variant its required and optional fields.</summary>
    public static readonly IReadOnlyDictionary<string, (string Discriminator, IReadOnlyDictionary<string, (string[] Required, string[] Optional)> Variants)> Managers =
        new Dictionary<string, (string, IReadOnlyDictionary<string, (string[], string[])>)>(StringComparer.Ordinal)
        {
            ["aws_sm"] = ("aws_auth_type", new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
            {
                ["accessKey"] = (["aws_access_key_id", "aws_secret_access_key", "aws_region"], []),
                ["assumedRole"] = (["aws_role_arn", "aws_region"], ["aws_external_id"]),
                ["serviceRole"] = ([], ["aws_region"]),
            }),
            ["azure_kv"] = ("azure_auth_mode", new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
            {
                ["entra"] = (["azure_entra_tenant_id", "azure_entra_client_id", "azure_entra_client_secret", "azure_vault_url"], []),
                ["managed"] = (["azure_vault_url"], ["azure_managed_client_id"]),
                ["default"] = (["azure_vault_url"], []),
            }),
            ["hashicorp_vault"] = ("vault_auth_type", new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
            {
                ["token"] = (["vault_addr", "vault_token"], ["vault_namespace"]),
                ["approle"] = (["vault_addr", "vault_role_id", "vault_secret_id"], ["vault_namespace"]),
                ["kubernetes"] = (["vault_addr", "vault_role"], ["vault_namespace"]),
            }),
        };

    /// <summary>auth_config fields that hold no credential; every other one is a secret (Portkey masks the same ones, and the role ARN).</summary>
    public static readonly IReadOnlySet<string> PlainAuthFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "aws_auth_type", "aws_region", "azure_auth_mode", "azure_entra_tenant_id", "azure_entra_client_id", "azure_vault_url", "azure_managed_client_id",
        "vault_auth_type", "vault_addr", "vault_role", "vault_namespace",
    };

    private static readonly string[] s_allFields =
        [.. Managers.Values.SelectMany(m => m.Variants.Values.SelectMany(v => v.Required.Concat(v.Optional)).Prepend(m.Discriminator)).Distinct(StringComparer.Ordinal)];

    /// <summary>Which manager a field belongs to.</summary>
    public static string? ManagerOf(string field) =>
        Managers.FirstOrDefault(m => m.Value.Discriminator == field || m.Value.Variants.Values.Any(v => v.Required.Contains(field) || v.Optional.Contains(field))).Key;

    public static ObjectSchema AuthConfig() => new()
    {
        Description = "By manager_type: aws_sm {aws_auth_type accessKey|assumedRole|serviceRole, …}; azure_kv {azure_auth_mode entra|managed|default, " +
                      "azure_vault_url, …}; hashicorp_vault {vault_auth_type token|approle|kubernetes, vault_addr, …}. Credentials are secrets; " +
                      "each may be ${env:NAME}.",
        Properties = [.. s_allFields.Order(StringComparer.Ordinal).Select(field => new KeyValuePair<string, Schema>(field, PlainAuthFields.Contains(field)
            ? new StringSchema { MinLength = 1, MaxLength = 1024 }
            : new StringSchema { MinLength = 1, MaxLength = ProviderKeyLength, Sensitive = true }))],
    };

    private static StringSchema Id() => new()
    {
        Description = "The secret reference's UUID or slug.",
        MaxLength = IdLength,
        Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
        PatternHint = "must be a secret reference's UUID or slug",
        LowercaseUuid = true,
    };

    private static ObjectSchema Tags(bool nullable = false) => new()
    {
        Nullable = nullable,
        Extra = ExtraProperties.Map,
        Values = new StringSchema { MaxLength = NameLength },
        MaxProperties = 32,
        MaxKeyLength = 128,
    };

    private static ArraySchema AllowedWorkspaces() => new()
    {
        Description = "Only these workspaces may use it (replaces the list; sets allow_all_workspaces false).",
        MinItems = 1,
        MaxItems = 200,
        UniqueItems = true,
        Items = WorkspaceId(),
    };

    public static readonly ToolContract List = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("manager_type", new StringSchema { Enum = ManagerTypes }),
                new("tags", Tags()),
                new("search", new StringSchema { MinLength = 1, MaxLength = NameLength, Description = "Part of the name." }),
                new("page_size", PageSize()), new("current_page", CurrentPage()),
            ],
        },
        Rules = PagingRules,
    };

    public static readonly ToolContract ById = new()
    {
        Input = new ObjectSchema { Properties = [new("id", Id())], Required = ["id"] },
    };

    public static readonly ToolContract Delete = new()
    {
        Input = new ObjectSchema { Properties = [new("id", Id()), new("dry_run", DryRun())], Required = ["id"] },
    };

    public static readonly ToolContract Create = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("name", Name()),
                new("manager_type", new StringSchema { Enum = ManagerTypes, Description = "aws_sm, azure_kv or hashicorp_vault; cannot change later." }),
                new("auth_config", AuthConfig()),
                new("secret_path", new StringSchema { MinLength = 1, MaxLength = 1024, Description = "Where the secret lives in the manager." }),
                new("secret_key", new StringSchema { MinLength = 1, MaxLength = NameLength, Description = "The key inside a multi-value secret." }),
                new("slug", new StringSchema { MaxLength = IdLength, Pattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$", PatternHint = "must be a slug (letters, digits, '-' and '_')" }),
                new("description", new StringSchema { MaxLength = 1024 }),
                new("allow_all_workspaces", new BooleanSchema { Description = "Default true." }),
                new("allowed_workspaces", AllowedWorkspaces()),
                new("tags", Tags()),
                new("dry_run", DryRun()),
            ],
            Required = ["name", "manager_type", "auth_config", "secret_path"],
        },
        Rules = args => WorkspaceRules(args).Concat(AuthRules(args, args.String("manager_type"), complete: true)),
    };

    public static readonly ToolContract Update = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("id", Id()),
                new("name", Name()),
                new("auth_config", AuthConfig()),
                new("secret_path", new StringSchema { MinLength = 1, MaxLength = 1024 }),
                new("secret_key", new StringSchema { MinLength = 1, MaxLength = NameLength, Nullable = true }),
                new("description", new StringSchema { MaxLength = 1024, Nullable = true }),
                new("allow_all_workspaces", new BooleanSchema { Description = "true removes the workspace list." }),
                new("allowed_workspaces", AllowedWorkspaces()),
                new("tags", Tags(nullable: true)),
                new("dry_run", DryRun()),
            ],
            Required = ["id"],
        },
        Rules = args => ArgumentRules.SomethingToUpdate(args, "id").Concat(WorkspaceRules(args)).Concat(AuthRules(args, manager: null, complete: false)),
    };

    private static IEnumerable<FieldError> WorkspaceRules(ToolArguments args) =>
        args.Boolean("allow_all_workspaces") == true && args.Has("allowed_workspaces")
            ? [new FieldError("allowed_workspaces", "cannot be combined with allow_all_workspaces true (which allows every workspace)")]
            : [];

    /// <summary>
    /// One manager's fields only; on create, the variant its discriminator names, with that variant's required fields
    /// and nothing another variant needs. An update merges into the stored config, so only the family is checked here
    /// (and against the stored manager once it is read).
    /// </summary>
    public static IEnumerable<FieldError> AuthRules(ToolArguments args, string? manager, bool complete)
    {
        if (args.Get("auth_config") is not { ValueKind: JsonValueKind.Object } config)
        {
            yield break;
        }

        var fields = config.EnumerateObject().Select(m => m.Name).ToList();
        var families = fields.Select(ManagerOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        manager ??= families.Count == 1 ? families[0] : null;
        if (manager is null)
        {
            if (families.Count > 1)
            {
                yield return new FieldError("auth_config", $"mixes the fields of {string.Join(" and ", families)}; give one manager's fields");
            }

            yield break;
        }

        var (discriminator, variants) = Managers[manager];
        foreach (var field in fields.Where(f => ManagerOf(f) is { } other && other != manager))
        {
            yield return new FieldError($"auth_config.{field}", $"belongs to {ManagerOf(field)}, not {manager}");
        }

        var variant = config.TryGetProperty(discriminator, out var chosen) && chosen.ValueKind == JsonValueKind.String ? chosen.GetString() : null;
        if (variant is not null && !variants.ContainsKey(variant))
        {
            yield return new FieldError($"auth_config.{discriminator}", $"must be {string.Join(", ", variants.Keys)} for {manager} (got '{variant}')");
            yield break;
        }

        if (!complete)
        {
            yield break;
        }

        if (variant is null)
        {
            yield return new FieldError($"auth_config.{discriminator}", $"is required for {manager}: {string.Join(", ", variants.Keys)}");
            yield break;
        }

        var (required, optional) = variants[variant];
        foreach (var missing in required.Where(f => !fields.Contains(f)))
        {
            yield return new FieldError($"auth_config.{missing}", $"is required for {manager} with {discriminator} {variant}");
        }

        foreach (var extra in fields.Where(f => f != discriminator && ManagerOf(f) == manager && !required.Contains(f) && !optional.Contains(f)))
        {
            yield return new FieldError($"auth_config.{extra}", $"is not used with {discriminator} {variant}");
        }
    }
}
