using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;
using static PortkeyAdminMcp.Portkey.RequestBody;

namespace PortkeyAdminMcp.SecretReferences;

/// <summary>
/// Validated secret-reference arguments → the exact Portkey request (reference §8). Each credential in auth_config
/// may be ${env:NAME}, read from this server's environment as a provider key is; every credential field is marked
/// secret in the request.
/// </summary>
public static class SecretReferenceRequests
{
    private const string Path = "secret-references";

    /// <summary>auth_config fields that choose which vault the credentials are presented to.</summary>
    public static readonly string[] EndpointFields = ["vault_addr", "azure_vault_url"];

    public static PortkeyRequest List(ToolArguments args)
    {
        var query = PageQuery.Filtered(args, PageNaming.Snake, null, "manager_type", "search");
        if (args.Get("tags") is { ValueKind: JsonValueKind.Object } tags)
        {
            // Portkey takes the tag filter as a JSON-encoded string.
            query.Add(new("tags", JsonNode.Parse(tags.GetRawText())!.ToJsonString()));
        }

        return PortkeyRequest.Get([Path], query);
    }

    public static PortkeyRequest Get(ToolArguments args) => PortkeyRequest.Get([Path, args.String("id")!]);

    public static PortkeyRequest Delete(ToolArguments args) => PortkeyRequest.Delete([Path, args.String("id")!]);

    public static PortkeyRequest Create(ToolArguments args, KeyReferences references, List<FieldError> errors)
    {
        var body = new JsonObject { ["name"] = args.String("name"), ["manager_type"] = args.String("manager_type") };
        CopyString(args, body, "slug");
        return Shared(args, body, references, errors, b => PortkeyRequest.Post([Path], b));
    }

    public static PortkeyRequest Update(ToolArguments args, KeyReferences references, List<FieldError> errors)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        return Shared(args, body, references, errors, b => PortkeyRequest.Put([Path, args.String("id")!], b));
    }

    private static PortkeyRequest Shared(ToolArguments args, JsonObject body, KeyReferences references, List<FieldError> errors, Func<JsonObject, PortkeyRequest> build)
    {
        CopyString(args, body, "secret_path");
        CopyNullable(args, body, "secret_key");
        CopyNullable(args, body, "description");
        if (args.Boolean("allow_all_workspaces") is { } all)
        {
            body["allow_all_workspaces"] = all;
        }

        CopyJson(args, body, "allowed_workspaces");
        CopyJson(args, body, "tags");
        var secretFields = new List<string>();
        if (args.Get("auth_config") is { ValueKind: JsonValueKind.Object } config)
        {
            var auth = new JsonObject();
            foreach (var member in config.EnumerateObject())
            {
                var value = member.Value.GetString()!;
                if (SecretReferenceContracts.PlainAuthFields.Contains(member.Name))
                {
                    auth[member.Name] = value;
                    continue;
                }

                secretFields.Add(member.Name);
                var field = "auth_config." + member.Name;
                var (resolved, mapping) = references.Resolve(value, field, errors);
                if (mapping is not null)
                {
                    errors.Add(new FieldError(field, "cannot come from another secret reference; give the value or ${env:NAME}"));
                }
                else if (resolved is not null)
                {
                    auth[member.Name] = resolved;
                }
            }

            body["auth_config"] = auth;
            // A variable of this server's environment is the operator's secret: the agent may not also choose the vault
            // it is presented to, or it could send the secret to itself.
            if (config.EnumerateObject().Any(m => m.Value.GetString()!.StartsWith("${env:", StringComparison.Ordinal)))
            {
                foreach (var endpoint in EndpointFields.Where(auth.ContainsKey))
                {
                    errors.Add(new FieldError($"auth_config.{endpoint}", "cannot be set in the call that sends a credential from ${env:…}: the server's secret would go where the agent says"));
                }
            }
        }

        var request = build(body);
        foreach (var field in secretFields)
        {
            request.WithSecretField("auth_config." + field);
        }

        return request;
    }
}
