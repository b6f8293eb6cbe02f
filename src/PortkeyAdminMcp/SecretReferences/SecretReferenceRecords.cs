using System.Text.Json;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.SecretReferences;

/// <summary>A secret reference as Portkey answers a list or a get (reference §8.4).</summary>
public sealed class SecretReferenceRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("slug")] public string? Slug { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("manager_type")] public string? ManagerType { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("secret_path")] public string? SecretPath { get; set; }
    [JsonPropertyName("secret_key")] public string? SecretKey { get; set; }
    [JsonPropertyName("allow_all_workspaces")] public bool? AllowAllWorkspaces { get; set; }
    [JsonPropertyName("tags")] public JsonElement? Tags { get; set; }
    [JsonPropertyName("auth_config")] public JsonElement? AuthConfig { get; set; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; set; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; set; }
}

public sealed class CreatedSecretReferenceRecord
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("slug")] public string? Slug { get; set; }
}

/// <summary>A secret reference as the tools show it: auth_config only with fields known to hold no credential, the rest masked.</summary>
public sealed class SecretReferenceDetails
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("manager_type")] public string? ManagerType { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("secret_path")] public string? SecretPath { get; init; }
    [JsonPropertyName("secret_key")] public string? SecretKey { get; init; }
    [JsonPropertyName("allow_all_workspaces")] public bool? AllowAllWorkspaces { get; init; }
    [JsonPropertyName("tags")] public JsonElement? Tags { get; init; }
    [JsonPropertyName("auth_config")] public JsonElement? AuthConfig { get; init; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("last_updated_at")] public string? LastUpdatedAt { get; init; }

    public static SecretReferenceDetails From(SecretReferenceRecord record) => new()
    {
        Id = record.Id,
        Slug = record.Slug,
        Name = record.Name,
        ManagerType = record.ManagerType,
        Status = record.Status,
        Description = record.Description,
        SecretPath = record.SecretPath,
        SecretKey = record.SecretKey,
        AllowAllWorkspaces = record.AllowAllWorkspaces,
        Tags = record.Tags is { ValueKind: JsonValueKind.Object } tags ? tags : null,
        AuthConfig = record.AuthConfig is { ValueKind: JsonValueKind.Object } config
            ? JsonValues.Object(config.EnumerateObject().Select(member => new KeyValuePair<string, JsonElement>(member.Name,
                SecretReferenceContracts.PlainAuthFields.Contains(member.Name) ? member.Value.Clone() : JsonValues.String(SecretRegistry.Mask))))
            : null,
        CreatedBy = record.CreatedBy,
        CreatedAt = record.CreatedAt,
        LastUpdatedAt = record.LastUpdatedAt,
    };
}

public sealed class SecretReferenceChange
{
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("updated_fields")] public IReadOnlyList<string>? UpdatedFields { get; init; }
    [JsonPropertyName("secret_reference")] public SecretReferenceDetails? SecretReference { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SecretReferenceRecord))]
[JsonSerializable(typeof(CreatedSecretReferenceRecord))]
[JsonSerializable(typeof(PageRecord<SecretReferenceRecord>))]
[JsonSerializable(typeof(SecretReferenceDetails))]
[JsonSerializable(typeof(Page<SecretReferenceDetails>))]
[JsonSerializable(typeof(SecretReferenceChange))]
internal sealed partial class SecretReferencesJsonContext : JsonSerializerContext;
