using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// Lets a provider key be named instead of typed into the chat: <c>${env:NAME}</c> reads an allow-listed
/// variable of this server's environment; <c>${secret:REFERENCE_ID}</c> or <c>${secret:REFERENCE_ID#field}</c>
/// becomes a Portkey Secret Reference mapping, so no key is sent at all. Anything else is a literal key.
/// </summary>
public sealed partial class KeyReferences(IReadOnlyCollection<string> allowedEnvNames, SecretRegistry? secrets, Func<string, string?> environment)
{
    /// <summary>No environment variable may be read; Secret References still work.</summary>
    public static readonly KeyReferences None = new([], null, _ => null);

    public KeyReferences(IOptions<SecretOptions> options, SecretRegistry secrets)
        : this(options.Value.AllowedEnvNames, secrets, Environment.GetEnvironmentVariable)
    {
    }

    public IReadOnlyCollection<string> AllowedEnvNames => allowedEnvNames;

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

            secrets?.Add(secret);
            return (secret, null);
        }

        if (SecretReference().Match(value) is { Success: true } reference)
        {
            var mapping = new JsonObject
            {
                ["target_field"] = "key",
                ["secret_reference_id"] = reference.Groups[1].Value,
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

    [GeneratedRegex(@"^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex EnvReference();

    [GeneratedRegex(@"^\$\{secret:([A-Za-z0-9][A-Za-z0-9_-]{0,127})(?:#([A-Za-z0-9_.-]{1,255}))?\}$")]
    private static partial Regex SecretReference();
}
