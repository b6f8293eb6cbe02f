using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// Lets a provider key be named instead of typed into the chat: <c>${env:NAME}</c> reads an allow-listed
/// variable of this server's environment; <c>${secret:REFERENCE_ID}</c> or <c>${secret:REFERENCE_ID#field}</c>
/// becomes a Portkey Secret Reference mapping, so no key is sent at all. Anything else is a literal key.
/// </summary>
public sealed partial class KeyReferences(IReadOnlyCollection<string> allowedEnvNames, SecretRegistry? secrets, Func<string, string?> environment, string? serverApiKey = null)
{
    /// <summary>No environment variable may be read; Secret References still work.</summary>
    public static readonly KeyReferences None = new([], null, _ => null);

    public KeyReferences(IOptions<SecretOptions> options, IOptions<Configuration.PortkeyOptions> portkey, SecretRegistry secrets)
        : this(options.Value.AllowedEnvNames, secrets, Environment.GetEnvironmentVariable, portkey.Value.ApiKey)
    {
    }

    public IReadOnlyCollection<string> AllowedEnvNames => allowedEnvNames;

    /// <summary>
    /// Puts the call's <c>key</c> into a request body: a literal key as it is, <c>${env:NAME}</c> as the variable's
    /// value, <c>${secret:…}</c> as no key and a <c>secret_mappings</c> entry instead. Problems go to
    /// <paramref name="errors"/>; with none given (a preview of a call already checked) a problem is a bug.
    /// </summary>
    public void ResolveInto(ToolArguments args, JsonObject body, List<FieldError>? errors)
    {
        if (args.String("key") is not { } value)
        {
            return;
        }

        var problems = errors ?? [];
        var (key, mapping) = Resolve(value, "key", problems);
        if (errors is null && problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        if (key is not null)
        {
            body["key"] = key;
        }

        if (mapping is not null)
        {
            if (body["secret_mappings"] is not JsonArray mappings)
            {
                body["secret_mappings"] = mappings = [];
            }

            mappings.Add((JsonNode)mapping);
        }
    }

    /// <summary>The key to send (null when a Secret Reference replaces it) and the mapping to add, if any.</summary>
    public (string? Key, JsonObject? Mapping) Resolve(string value, string field, List<FieldError> errors)
    {
        if (!value.StartsWith("${", StringComparison.Ordinal))
        {
            return (value, null);
        }

        if (EnvReference().Match(value) is { Success: true } env)
        {
            var name = env.Groups[1].Value;
            if (!allowedEnvNames.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new FieldError(field, $"${{env:{name}}} is not allowed: list it in {SecretOptions.EnvAllowVariable} to let the server read it" +
                    (allowedEnvNames.Count == 0 ? " (no names are allowed now)" : $" (allowed: {string.Join(", ", allowedEnvNames)})")));
                return (null, null);
            }

            var secret = environment(name);
            if (string.IsNullOrEmpty(secret))
            {
                errors.Add(new FieldError(field, $"${{env:{name}}} names a variable that is not set in the server's environment"));
                return (null, null);
            }

            // Refused at start-up already (SecretOptionsValidator); checked again because nothing else may ever send it.
            if (!string.IsNullOrEmpty(serverApiKey) && secret.Contains(serverApiKey, StringComparison.Ordinal))
            {
                errors.Add(new FieldError(field, $"${{env:{name}}} holds this server's own Portkey API key, which is never sent as a provider key"));
                return (null, null);
            }

            // The value is the server's (its environment), so it is scrubbed everywhere; and this call's outputs mask it.
            secrets?.AddServerSecret(secret);
            Calls.CallRecord.Current?.Secrets.Add(secret);
            return (secret, null);
        }

        if (SecretReference().Match(value) is { Success: true } reference)
        {
            var mapping = new JsonObject
            {
                ["target_field"] = "key",
                // A UUID is one record in any case; the lower-case spelling is the one sent everywhere.
                ["secret_reference_id"] = StringSchema.IsUuid(reference.Groups[1].Value) ? reference.Groups[1].Value.ToLowerInvariant() : reference.Groups[1].Value,
            };
            if (reference.Groups[2].Success)
            {
                mapping["secret_key"] = reference.Groups[2].Value;
            }

            return (null, mapping);
        }

        errors.Add(new FieldError(field, "looks like a reference but is malformed: use ${env:NAME}, ${secret:REFERENCE_ID} or ${secret:REFERENCE_ID#field}"));
        return (null, null);
    }

    // \z, not $: "${env:NAME}\n" is not a reference (see EcmaPattern).
    [GeneratedRegex(@"^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}\z")]
    private static partial Regex EnvReference();

    [GeneratedRegex(@"^\$\{secret:([A-Za-z0-9][A-Za-z0-9_-]{0,127})(?:#([A-Za-z0-9_.-]{1,255}))?\}\z")]
    private static partial Regex SecretReference();
}
