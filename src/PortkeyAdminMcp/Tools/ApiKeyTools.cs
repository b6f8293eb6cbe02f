using System.ComponentModel;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Portkey.Models;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>The API-key tools. Arguments are read raw (absent differs from null) and checked by <see cref="ToolRunner"/>.</summary>
public sealed class ApiKeyTools(ToolRunner runner, PortkeyClient portkey, SecretRegistry secrets, SecretFileWriter secretFiles, IOptions<SecretOptions> secretOptions)
{
    public const string FileWarning =
        "The secret was written to key_file (owner-only) and is not in this conversation. Move it to a secret manager; " +
        "Portkey never shows it again.";

    public const string OneTimeSecretWarning =
        "This is the only time Portkey shows this secret, and it is now in this conversation's transcript. " +
        "Store it in a secret manager now; it cannot be retrieved again (rotate the key to get a new one).";

    [McpServerTool(Name = "create_api_key", Title = "Create API key", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description(
        "Create a Portkey API key: organisation (Admin, service only) or workspace (service, or user with user_id). " +
        "alert_threshold is a percent of credit_limit; Portkey stores the amount. Works at once. The secret is returned " +
        "only here and so enters the transcript: store it securely now. dry_run shows the request, sends nothing.")]
    public Task<CallToolResult> CreateApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Create, context,
            (args, _) => Task.FromResult(ApiKeyRequests.Create(args)),
            async (args, request, ct) =>
            {
                EnsureSecretFolder();
                var created = await portkey.SendAsync(request, PortkeyJsonContext.Default.CreatedApiKeyRecord, ct);
                const string Incomplete = "Portkey answered the create without an id or key. The key may exist: list keys before creating another.";
                RememberSecret(created.Key, Incomplete);
                if (string.IsNullOrEmpty(created.Id))
                {
                    throw new PortkeyTransportException(Incomplete);
                }

                var delivery = Deliver(created.Id!, created.Key!, rotation: false);
                return ToolResults.Success(new CreatedApiKey
                {
                    Id = created.Id!,
                    Key = delivery.Key,
                    KeyFile = delivery.File,
                    KeyMasked = delivery.Masked,
                    KeySha256 = delivery.Fingerprint,
                    Name = args.String("name")!,
                    Type = $"{args.String("type")}-{args.String("sub_type")}",
                    Warning = delivery.Warning,
                }, ToolJsonContext.Default.CreatedApiKey);
            }, cancellationToken);

    [McpServerTool(Name = "update_api_key", Title = "Update API key", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description(
        "Change an API key. Only given fields change; lists are replaced; null clears. Limits and defaults are merged " +
        "with the current ones (read first): limit type and reset period kept, alert_threshold a percent of the new " +
        "else current credit limit, a new credit limit keeps the alert percent. Type and owner are fixed; the secret " +
        "is not rotated. Takes effect at once; can remove access. Returns the key read back.")]
    public Task<CallToolResult> UpdateApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Update, context,
            async (args, ct) =>
            {
                var current = ApiKeyRequests.UpdateNeedsCurrent(args)
                    ? await portkey.SendAsync(ApiKeyRequests.Get(args.String("id")!), PortkeyJsonContext.Default.ApiKeyRecord, ct)
                    : null;
                var errors = new List<FieldError>();
                var request = ApiKeyRequests.Update(args, current, errors);
                return errors.Count > 0 ? throw new ToolInputException(errors) : request;
            },
            async (args, request, ct) =>
            {
                await portkey.SendAsync(request, ct);
                var (after, message) = await portkey.ReadBackAsync(ApiKeyRequests.Get(args.String("id")!), PortkeyJsonContext.Default.ApiKeyRecord, ct);
                return ToolResults.Success(
                    new UpdatedApiKey { Message = message, UpdatedFields = ChangedFields(args, "id"), ApiKey = after is null ? null : ApiKeyDetails.From(after) },
                    ToolJsonContext.Default.UpdatedApiKey);
            }, cancellationToken);

    [McpServerTool(Name = "get_api_key", Title = "Get API key", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description(
        "Read an API key: type, status (active, exhausted, expired), scopes, limits (alert also as percent), " +
        "defaults, emails, expiry, rotation policy. The secret is never returned, only a masked form.")]
    public Task<CallToolResult> GetApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Get, context,
            (args, _) => Task.FromResult(ApiKeyRequests.Get(args.String("id")!)),
            async (_, request, ct) =>
            {
                var record = await portkey.SendAsync(request, PortkeyJsonContext.Default.ApiKeyRecord, ct);
                return ToolResults.Success(ApiKeyDetails.From(record), ToolJsonContext.Default.ApiKeyDetails);
            }, cancellationToken);

    [McpServerTool(Name = "list_api_keys", Title = "List API keys", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true)]
    [Description(
        "List API keys, as get_api_key shows them, optionally of one workspace. Pages count from 0; the result " +
        "has total and has_more. Without page_size Portkey returns all.")]
    public Task<CallToolResult> ListApiKeys(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.List, context,
            (args, _) => Task.FromResult(ApiKeyRequests.List(args)),
            async (args, request, ct) =>
            {
                var page = await portkey.SendAsync(request, PortkeyJsonContext.Default.PageRecordApiKeyRecord, ct);
                var items = (page.Data ?? []).Select(ApiKeyDetails.From).ToList();
                return ToolResults.Success(Page.From(items, page.Total, args.Integer("page_size"), args.Integer("current_page") ?? 0),
                    ToolJsonContext.Default.PageApiKeyDetails);
            }, cancellationToken);

    [McpServerTool(Name = "delete_api_key", Title = "Delete API key", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true)]
    [Description(
        "Delete (revoke) an API key: requests using it fail from then on. Cannot be undone; check with " +
        "get_api_key first. dry_run shows the request, sends nothing.")]
    public Task<CallToolResult> DeleteApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Delete, context,
            (args, _) => Task.FromResult(ApiKeyRequests.Delete(args)),
            async (args, request, ct) =>
            {
                await portkey.SendAsync(request, ct);
                var id = args.String("id")!;
                return ToolResults.Success(new DeletedRecord { Deleted = id, Message = $"API key {id} deleted; it no longer authenticates." },
                    ToolJsonContext.Default.DeletedRecord);
            }, cancellationToken);

    [McpServerTool(Name = "rotate_api_key", Title = "Rotate API key", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true)]
    [Description(
        "Issue a new secret for an API key (same id, scopes, limits); the old one works until " +
        "key_transition_expires_at. The new secret is returned only here and so enters the transcript: store it " +
        "securely now. Never retried automatically.")]
    public Task<CallToolResult> RotateApiKey(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
        runner.RunAsync(ApiKeyContracts.Rotate, context,
            (args, _) => Task.FromResult(ApiKeyRequests.Rotate(args)),
            async (args, request, ct) =>
            {
                EnsureSecretFolder();
                var rotated = await portkey.SendAsync(request, PortkeyJsonContext.Default.RotatedApiKeyRecord, ct);
                RememberSecret(rotated.Key,
                    "Portkey answered the rotation without a new key. It may have rotated: check get_api_key before rotating again.");

                var id = rotated.Id ?? args.String("id")!;
                var delivery = Deliver(id, rotated.Key!, rotation: true);
                return ToolResults.Success(new RotatedApiKey
                {
                    Id = id,
                    Key = delivery.Key,
                    KeyFile = delivery.File,
                    KeyMasked = delivery.Masked,
                    KeySha256 = delivery.Fingerprint,
                    KeyTransitionExpiresAt = rotated.KeyTransitionExpiresAt,
                    Warning = delivery.Warning,
                }, ToolJsonContext.Default.RotatedApiKey);
            }, cancellationToken);

    /// <summary>In file mode, a key is only created when its secret has somewhere to go.</summary>
    private void EnsureSecretFolder()
    {
        if (secretOptions.Value.WritesFiles && secretFiles.ProblemWithDirectory() is { } problem)
        {
            throw new PortkeyTransportException(problem);
        }
    }

    /// <summary>
    /// Inline: the secret in the result (the seed behaviour). File: a path, a masked form and a fingerprint, and
    /// never the secret — if the file cannot be written the call fails and says so, because the operator chose file
    /// mode precisely so that no secret enters the transcript.
    /// </summary>
    private (string? Key, string? File, string? Masked, string? Fingerprint, string Warning) Deliver(string id, string secret, bool rotation)
    {
        if (!secretOptions.Value.WritesFiles)
        {
            if (Audit.CallRecord.Current is { } record)
            {
                record.DeliveredSecret = secret;
            }

            return (secret, null, null, null, OneTimeSecretWarning);
        }

        try
        {
            var path = secretFiles.Write(id, secret, rotation);
            return (null, path, SecretFileWriter.Masked(secret), SecretFileWriter.Fingerprint(secret), FileWarning);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ToolFailureException(
                $"API key {id} was {(rotation ? "rotated" : "created")}, but its new secret could not be written under {secretFiles.Directory} " +
                $"({exception.GetType().Name}) and, as {SecretOptions.OutputVariable}=file requires, it is not shown here. Make the folder writable, " +
                "then rotate the key (rotate_api_key) to get a new secret, or delete it.");
        }
    }

    /// <summary>A one-time secret is registered for scrubbing before anything else can log it; a missing one is a fault.</summary>
    private void RememberSecret(string? secret, string missingMessage)
    {
        secrets.AddIssuedSecret(secret);
        if (string.IsNullOrEmpty(secret))
        {
            throw new PortkeyTransportException(missingMessage);
        }
    }

    internal static List<string> ChangedFields(ToolArguments args, string idField) =>
        [.. args.Names.Where(name => name != idField && name != "dry_run").Order(StringComparer.Ordinal)];
}
