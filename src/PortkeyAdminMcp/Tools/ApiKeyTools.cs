using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Portkey.Models;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>The API-key tools. Arguments are read raw (absent differs from null) and checked by <see cref="ToolRunner"/>.</summary>
public sealed class ApiKeyTools(ToolRunner runner, PortkeyClient portkey, SecretRegistry secrets)
{
    public const string OneTimeSecretWarning =
        "This is the only time Portkey shows this secret, and it is now in this conversation's transcript. " +
        "Store it in a secret manager now; it cannot be retrieved again (rotate the key to get a new one).";

    [McpServerTool(Name = "create_api_key", Title = "Create API key", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description(
        "Create a Portkey API key. type organisation: an Admin key for the whole organisation (service only). " +
        "type workspace: a key scoped to workspace_id, either service or user (with user_id). " +
        "credit_limit is in USD; alert_threshold is a percentage of it, converted to the absolute amount Portkey stores. " +
        "The key works at once with its scopes and limits. The full secret is returned only in this result, so it " +
        "enters the transcript: store it securely immediately; Portkey never shows it again.")]
    public Task<CallToolResult> CreateApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Create, context, async (args, ct) =>
        {
            var request = ApiKeyRequests.Create(args);
            var created = await portkey.SendAsync(request, PortkeyJsonContext.Default.CreatedApiKeyRecord, ct);
            secrets.Add(created.Key);
            if (string.IsNullOrEmpty(created.Id) || string.IsNullOrEmpty(created.Key))
            {
                throw new PortkeyTransportException(
                    "Portkey answered the create without an id or key. The key may exist: list or look it up before creating another.");
            }

            return ToolResults.Success(new CreatedApiKey
            {
                Id = created.Id,
                Key = created.Key,
                Name = args.String("name")!,
                Type = $"{args.String("type")}-{args.String("sub_type")}",
                Warning = OneTimeSecretWarning,
            }, ToolJsonContext.Default.CreatedApiKey);
        }, cancellationToken);

    [McpServerTool(Name = "update_api_key", Title = "Update API key", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description(
        "Change an API key's name, description, scopes, expiry, alert emails, limits or defaults. Only the fields given " +
        "change; scopes and alert_emails replace the whole list; expires_at null removes the expiry. Limits and defaults " +
        "are merged with the key's current ones (read first): the limit's type (cost or tokens) and reset period are kept, " +
        "alert_threshold is a percentage of the new credit_limit or else the current one, and a new credit_limit keeps the " +
        "current alert percentage. Type, sub-type and owner cannot change, and the secret is not rotated. Takes effect at " +
        "once and can remove access. Returns the key as read back after the change.")]
    public Task<CallToolResult> UpdateApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Update, context, async (args, ct) =>
        {
            var id = args.String("id")!;
            ApiKeyRecord? current = null;
            if (ApiKeyRequests.UpdateNeedsCurrent(args))
            {
                current = await portkey.SendAsync(ApiKeyRequests.Get(id), PortkeyJsonContext.Default.ApiKeyRecord, ct);
            }

            var errors = new List<FieldError>();
            var request = ApiKeyRequests.Update(args, current, errors);
            if (errors.Count > 0)
            {
                throw new ToolInputException(errors);
            }

            await portkey.SendAsync(request, ct);
            var updatedFields = args.Names.Where(name => name != "id").Order(StringComparer.Ordinal).ToList();

            ApiKeyDetails? after = null;
            var message = "Updated.";
            try
            {
                after = ApiKeyDetails.From(await portkey.SendAsync(ApiKeyRequests.Get(id), PortkeyJsonContext.Default.ApiKeyRecord, ct));
            }
            catch (PortkeyException exception)
            {
                message = $"Updated, but reading the key back failed: {exception.Message}";
            }

            return ToolResults.Success(new UpdatedApiKey { Message = message, UpdatedFields = updatedFields, ApiKey = after },
                ToolJsonContext.Default.UpdatedApiKey);
        }, cancellationToken);

    [McpServerTool(Name = "get_api_key", Title = "Get API key", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description(
        "Read one API key by UUID: name, type, status (active, exhausted or expired), scopes, usage and rate limits " +
        "(the alert also as a percentage), defaults, alert emails, expiry and rotation policy. Use it before changing " +
        "access. The secret is never returned; the key is shown masked.")]
    public Task<CallToolResult> GetApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Get, context, async (args, ct) =>
        {
            var record = await portkey.SendAsync(ApiKeyRequests.Get(args.String("id")!), PortkeyJsonContext.Default.ApiKeyRecord, ct);
            return ToolResults.Success(ApiKeyDetails.From(record), ToolJsonContext.Default.ApiKeyDetails);
        }, cancellationToken);
}
