using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// The server's own secrets — the Portkey API key, a counter-store password, provider keys read from the server's
/// environment, and one-time key secrets Portkey issued — and the scrubber every log line and result text passes
/// through. Nothing an agent sends is ever put here: a value an agent could choose would let it blank out any
/// word of any later log line. An agent's own secrets (a provider key in <c>key</c>) are masked per call instead
/// (<see cref="CallSecrets"/>), so the registry cannot be flooded and the API key can never be pushed out.
/// </summary>
public sealed partial class SecretRegistry
{
    public const string Mask = "[REDACTED]";

    // Shorter values would mask ordinary words in logs; no real key is this short.
    public const int MinimumLength = 6;

    /// <summary>One-time secrets kept for scrubbing; the oldest go first, and the pinned ones never.</summary>
    public const int IssuedCapacity = 10_000;

    private readonly Lock _gate = new();
    private readonly List<string> _pinned = [];
    private readonly Queue<string> _issued = new();

    // Every form of every secret, longest first, rebuilt on each change and read without a lock.
    private ImmutableArray<string> _forms = [];

    /// <summary>A secret of the server's own configuration: kept for the life of the process.</summary>
    public void AddServerSecret(string? secret) => Add(secret, pinned: true);

    /// <summary>A one-time secret Portkey issued (a new or rotated key).</summary>
    public void AddIssuedSecret(string? secret) => Add(secret, pinned: false);

    private void Add(string? secret, bool pinned)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        lock (_gate)
        {
            if (_pinned.Contains(secret) || _issued.Contains(secret))
            {
                return;
            }

            if (pinned)
            {
                _pinned.Add(secret);
            }
            else
            {
                _issued.Enqueue(secret);
                while (_issued.Count > IssuedCapacity)
                {
                    _issued.Dequeue();
                }
            }

            _forms = [.. _pinned.Concat(_issued).SelectMany(Forms).Distinct(StringComparer.Ordinal).OrderByDescending(form => form.Length)];
        }
    }

    /// <summary>
    /// Whether a value carries one of the server's own secrets (the API key, a store password, a provider key from its
    /// environment): such a value is never shown, not even as the secret a result delivers on purpose.
    /// </summary>
    public bool RevealsServerSecret(string value)
    {
        lock (_gate)
        {
            return _pinned.Any(secret => value.Contains(secret, StringComparison.Ordinal));
        }
    }

    public bool IsKnown(string value)
    {
        lock (_gate)
        {
            return _pinned.Contains(value) || _issued.Contains(value);
        }
    }

    /// <summary>A secret can reach text raw, JSON-escaped, or escaped twice (a JSON text block inside JSON-RPC).</summary>
    public static IEnumerable<string> Forms(string secret)
    {
        var once = JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        yield return secret;
        yield return once;
        yield return JsonEncodedText.Encode(once, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        yield return JsonEncodedText.Encode(secret).ToString();
    }

    /// <summary>Replaces every known secret, and the value of every secret-named JSON property, with a mask.</summary>
    public string Scrub(string? text) => ScrubSecretProperties(ScrubValues(text, []));

    /// <summary>
    /// Replaces every known secret and every one of <paramref name="callSecrets"/> (the current call's own) with a
    /// mask, leaving <paramref name="exempt"/> alone (the one secret a result delivers on purpose).
    /// </summary>
    public string ScrubValues(string? text, IEnumerable<string> callSecrets, string? exempt = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in _forms)
        {
            text = Replace(text, secret, exempt);
        }

        foreach (var secret in callSecrets)
        {
            foreach (var form in Forms(secret))
            {
                text = Replace(text, form, exempt);
            }
        }

        return text;
    }

    private static string Replace(string text, string secret, string? exempt)
    {
        if (secret.Length == 0 || secret == exempt || !text.Contains(secret, StringComparison.Ordinal))
        {
            return text;
        }

        if (exempt is null || !text.Contains(exempt, StringComparison.Ordinal))
        {
            return text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        // The exempt secret is shown whole; only what lies outside it is masked.
        var parts = text.Split(exempt);
        return string.Join(exempt, parts.Select(part => part.Replace(secret, Mask, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Masks the string value of any JSON property whose name says it holds a secret (<c>key</c>, <c>*_key</c>,
    /// <c>*Key</c>, <c>*secret*</c>, <c>*password*</c>, <c>*token</c>, <c>*credential*</c>), plain or escaped inside
    /// another JSON string. Defence in depth for logs, and the rule for free-form records Portkey returns
    /// (a virtual key's <c>model_config</c>: <c>awsSecretAccessKey</c>, <c>azureAdToken</c>, <c>apiToken</c>).
    /// </summary>
    public static string ScrubSecretProperties(string text)
    {
        if (!text.Contains('"', StringComparison.Ordinal))
        {
            return text;
        }

        text = PlainSecretProperty().Replace(text, "$1" + Mask + "\"");
        return EscapedSecretProperty().Replace(text, "$1" + Mask + "\\\"");
    }

    private const string SecretName = @"[A-Za-z0-9_.\-]*(?:key|token|secret[A-Za-z0-9_\-]*|password[A-Za-z0-9_\-]*|credential[A-Za-z0-9_\-]*)";

    [GeneratedRegex(@"(""" + SecretName + @"""\s*:\s*"")(?:[^""\\]|\\.)*""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PlainSecretProperty();

    [GeneratedRegex(@"(\\""" + SecretName + @"\\""\s*:\s*\\"")(?:\\\\|[^""\\])*\\""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EscapedSecretProperty();
}

/// <summary>
/// The secrets of one call: values the agent passed in fields the tool marks secret (a provider key), and values
/// the call resolved for it (<c>${env:…}</c>). They mask that call's result, error text, approval prompt and audit
/// line, and nothing else, so what one call sends cannot change what any other call shows.
/// </summary>
public sealed class CallSecrets
{
    private readonly Lock _gate = new();
    private readonly List<string> _values = [];

    /// <summary>Values shorter than <see cref="SecretRegistry.MinimumLength"/> are masked by field only, never in running text.</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < SecretRegistry.MinimumLength)
        {
            return;
        }

        lock (_gate)
        {
            if (!_values.Contains(secret))
            {
                _values.Add(secret);
            }
        }
    }

    public IReadOnlyList<string> Values
    {
        get
        {
            lock (_gate)
            {
                return [.. _values];
            }
        }
    }
}
