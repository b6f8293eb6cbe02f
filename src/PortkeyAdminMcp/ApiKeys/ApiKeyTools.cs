using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.ApiKeys;

/// <summary>
/// The API-key tools, each declared once: name, title, effect, description, input contract, output type, and how a
/// call is planned and executed. Register them with <see cref="AddApiKeyTools"/>.
/// </summary>
public static class ApiKeyTools
{
    public const string Toolset = "keys";

    public const string FileWarning =
        "The secret was written to key_file (owner-only) and is not in this conversation. Move it to a secret manager; " +
        "Portkey never shows it again.";

    public const string OneTimeSecretWarning =
        "This is the only time Portkey shows this secret, and it is now in this conversation's transcript. " +
        "Store it in a secret manager now; it cannot be retrieved again (rotate the key to get a new one).";

    public static IServiceCollection AddApiKeyTools(this IServiceCollection services) =>
        services.AddTools(Create, Update, Get, List, Delete, Rotate);

    public static readonly ToolDeclaration<CreatedApiKey> Create = new()
    {
        Name = "create_api_key",
        Title = "Create API key",
        Toolset = Toolset,
        Effect = ToolEffect.Create,
        Description = env =>
            "Create a Portkey API key: organisation (Admin, service only) or workspace (service, or user with user_id). " +
            "alert_threshold is a percent of credit_limit; Portkey stores the amount. Works at once. " + env.SecretDelivery("The secret") +
            " dry_run shows the request, sends nothing.",
        Input = ApiKeyContracts.Create,
        Output = static () => ApiKeysJsonContext.Default.CreatedApiKey,
        Plan = ToolSteps.Plan(ApiKeyRequests.Create),
        Execute = async (call, request, cancellationToken) =>
        {
            EnsureSecretFolder(call);
            var created = await call.Portkey.SendAsync(request, ApiKeysJsonContext.Default.CreatedApiKeyRecord, cancellationToken);
            const string MayExist = "The key may exist: list keys before creating another.";
            RememberSecret(call, created.Key, "Portkey answered the create without an id or key.", MayExist);
            if (string.IsNullOrEmpty(created.Id))
            {
                throw new PortkeyTransportException("Portkey answered the create without an id or key. " + MayExist);
            }

            var delivery = Deliver(call, created.Id, created.Key!, rotation: false);
            return new CreatedApiKey
            {
                Id = created.Id,
                Key = delivery.Key,
                KeyFile = delivery.File,
                KeyMasked = delivery.Masked,
                KeySha256 = delivery.Fingerprint,
                Name = call.Arguments.String("name")!,
                Type = $"{call.Arguments.String("type")}-{call.Arguments.String("sub_type")}",
                Warning = delivery.Warning,
            };
        },
    };

    public static readonly ToolDeclaration<UpdatedApiKey> Update = new()
    {
        Name = "update_api_key",
        Title = "Update API key",
        Toolset = Toolset,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change an API key. Only given fields change; lists are replaced; null clears. Limits and defaults are merged " +
            "with the current ones (read first): limit type and reset period kept, alert_threshold a percent of the new " +
            "else current credit limit, a new credit limit keeps the alert percent. Type and owner are fixed; the secret " +
            "is not rotated. Takes effect at once; can remove access. Returns the key read back.",
        Input = ApiKeyContracts.Update,
        Output = static () => ApiKeysJsonContext.Default.UpdatedApiKey,
        Plan = async (call, cancellationToken) =>
        {
            var args = call.Arguments;
            var current = ApiKeyRequests.UpdateNeedsCurrent(args)
                ? await call.Portkey.SendAsync(ApiKeyRequests.Get(args.String("id")!), ApiKeysJsonContext.Default.ApiKeyRecord, cancellationToken)
                : null;
            var errors = new List<FieldError>();
            var request = ApiKeyRequests.Update(args, current, errors);
            return errors.Count > 0 ? throw new ToolInputException(errors) : request;
        },
        Execute = async (call, request, cancellationToken) =>
        {
            await call.Portkey.SendForEffectAsync(request, cancellationToken);
            var (after, message) = await call.Portkey.ReadBackAsync(ApiKeyRequests.Get(call.Arguments.String("id")!), ApiKeysJsonContext.Default.ApiKeyRecord, cancellationToken);
            return new UpdatedApiKey { Message = message, UpdatedFields = call.ChangedFields("id"), ApiKey = after is null ? null : ApiKeyDetails.From(after) };
        },
    };

    public static readonly ToolDeclaration<ApiKeyDetails> Get = new()
    {
        Name = "get_api_key",
        Title = "Get API key",
        Toolset = Toolset,
        Effect = ToolEffect.Read,
        Description = _ =>
            "Read an API key: type, status (active, exhausted, expired), scopes, limits (alert also as percent), " +
            "defaults, emails, expiry, rotation policy. The secret is never returned, only a masked form.",
        Input = ApiKeyContracts.Get,
        Output = static () => ApiKeysJsonContext.Default.ApiKeyDetails,
        Plan = ToolSteps.Plan(args => ApiKeyRequests.Get(args.String("id")!)),
        Execute = ToolSteps.Read(ApiKeysJsonContext.Default.ApiKeyRecord, ApiKeyDetails.From),
    };

    public static readonly ToolDeclaration<Page<ApiKeyDetails>> List = new()
    {
        Name = "list_api_keys",
        Title = "List API keys",
        Toolset = Toolset,
        Effect = ToolEffect.Read,
        Description = _ =>
            "List API keys, as get_api_key shows them, optionally of one workspace. Pages count from 0; the result " +
            "has total and has_more. Without page_size Portkey returns all.",
        Input = ApiKeyContracts.List,
        Output = static () => ApiKeysJsonContext.Default.PageApiKeyDetails,
        Plan = ToolSteps.Plan(ApiKeyRequests.List),
        Execute = ToolSteps.List(ApiKeysJsonContext.Default.PageRecordApiKeyRecord, ApiKeyDetails.From),
    };

    public static readonly ToolDeclaration<DeletedRecord> Delete = new()
    {
        Name = "delete_api_key",
        Title = "Delete API key",
        Toolset = Toolset,
        Effect = ToolEffect.Delete,
        Description = _ =>
            "Delete (revoke) an API key: requests using it fail from then on. Cannot be undone; check with " +
            "get_api_key first. dry_run shows the request, sends nothing.",
        Input = ApiKeyContracts.Delete,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Plan = ToolSteps.Plan(ApiKeyRequests.Delete),
        Execute = ToolSteps.Send(call =>
        {
            var id = call.Arguments.String("id")!;
            return new DeletedRecord { Deleted = id, Message = $"API key {id} deleted; it no longer authenticates." };
        }),
    };

    public static readonly ToolDeclaration<RotatedApiKey> Rotate = new()
    {
        Name = "rotate_api_key",
        Title = "Rotate API key",
        Toolset = Toolset,
        Effect = ToolEffect.Reissue,
        Description = env =>
            "Issue a new secret for an API key (same id, scopes, limits); the old one works until " +
            "key_transition_expires_at. " + env.SecretDelivery("The new secret") + " Never retried automatically.",
        Input = ApiKeyContracts.Rotate,
        Output = static () => ApiKeysJsonContext.Default.RotatedApiKey,
        Plan = ToolSteps.Plan(ApiKeyRequests.Rotate),
        Execute = async (call, request, cancellationToken) =>
        {
            EnsureSecretFolder(call);
            var rotated = await call.Portkey.SendAsync(request, ApiKeysJsonContext.Default.RotatedApiKeyRecord, cancellationToken);
            RememberSecret(call, rotated.Key,
                "Portkey answered the rotation without a new key.", "It may have rotated: check get_api_key before rotating again.");

            var id = rotated.Id ?? call.Arguments.String("id")!;
            var delivery = Deliver(call, id, rotated.Key!, rotation: true);
            return new RotatedApiKey
            {
                Id = id,
                Key = delivery.Key,
                KeyFile = delivery.File,
                KeyMasked = delivery.Masked,
                KeySha256 = delivery.Fingerprint,
                KeyTransitionExpiresAt = rotated.KeyTransitionExpiresAt,
                Warning = delivery.Warning,
            };
        },
    };

    /// <summary>In file mode, a key is only created when its secret has somewhere to go.</summary>
    private static void EnsureSecretFolder(ToolCall call)
    {
        if (call.Service<IOptions<SecretOptions>>().Value.WritesFiles && call.Service<SecretFileWriter>().ProblemWithDirectory() is { } problem)
        {
            throw new PortkeyTransportException(problem);
        }
    }

    /// <summary>
    /// Inline: the secret in the result (the seed behaviour). File: a path, a masked form and a fingerprint, and
    /// never the secret — if the file cannot be written the call fails and says so, because the operator chose file
    /// mode precisely so that no secret enters the transcript.
    /// </summary>
    private static (string? Key, string? File, string? Masked, string? Fingerprint, string Warning) Deliver(ToolCall call, string id, string secret, bool rotation)
    {
        if (!call.Service<IOptions<SecretOptions>>().Value.WritesFiles)
        {
            call.Record.DeliveredSecret = secret;
            return (secret, null, null, null, OneTimeSecretWarning);
        }

        var files = call.Service<SecretFileWriter>();
        try
        {
            var path = files.Write(id, secret, rotation);
            return (null, path, SecretFileWriter.Masked(secret), SecretFileWriter.Fingerprint(secret), FileWarning);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ToolFailureException(
                $"API key {id} was {(rotation ? "rotated" : "created")}, but its new secret could not be written under {files.Directory} " +
                $"({exception.GetType().Name}) and, as {SecretOptions.OutputVariable}=file requires, it is not shown here. Make the folder writable, " +
                "then rotate the key (rotate_api_key) to get a new secret, or delete it.");
        }
    }

    /// <summary>
    /// A one-time secret is registered for scrubbing before anything else can log it; a missing one is a fault, and so
    /// is one that carries the server's own credentials (an upstream that answers with the admin key must not get it shown).
    /// </summary>
    /// <param name="missing">What is wrong when the answer has no secret.</param>
    /// <param name="consequence">What the agent should do about it: the change may have happened.</param>
    private static void RememberSecret(ToolCall call, string? secret, string missing, string consequence)
    {
        var registry = call.Service<SecretRegistry>();
        if (!string.IsNullOrEmpty(secret) && registry.RevealsServerSecret(secret))
        {
            throw new PortkeyTransportException(
                "Portkey's answer carries this server's own credentials where the new secret should be, so it is not shown. " + consequence);
        }

        registry.AddIssuedSecret(secret);
        if (string.IsNullOrEmpty(secret))
        {
            throw new PortkeyTransportException(missing + " " + consequence);
        }
    }
}
