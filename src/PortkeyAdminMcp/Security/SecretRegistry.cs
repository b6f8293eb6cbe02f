using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// Every secret value this process has seen (the Portkey API key, provider keys, one-time key secrets),
/// and the one scrubber that every log line and every error text passes through.
/// </summary>
public sealed partial class SecretRegistry
{
    public const string Mask = "[REDACTED]";

    // Shorter values would mask ordinary words in logs; no real key is this short.
    private const int MinimumLength = 6;
    private const int Capacity = 4096;

    private ImmutableArray<string> _values = [];

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        // A secret can reach a log line raw, JSON-escaped, or escaped twice (a JSON text block inside JSON-RPC).
        var once = JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        var twice = JsonEncodedText.Encode(once, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        var strict = JsonEncodedText.Encode(secret).ToString();
        ImmutableInterlocked.Update(ref _values, values =>
        {
            var builder = values.ToBuilder();
            foreach (var form in new[] { secret, once, twice, strict })
            {
                if (!builder.Contains(form))
                {
                    builder.Add(form);
                }
            }

            // Longest first, so a secret that contains another is masked whole.
            builder.Sort((a, b) => b.Length.CompareTo(a.Length));
            while (builder.Count > Capacity)
            {
                builder.RemoveAt(builder.Count - 1);
            }

            return builder.ToImmutable();
        });
    }

    public bool IsKnown(string value) => _values.Contains(value);

    /// <summary>Replaces every known secret, and the value of every secret-named JSON property, with a mask.</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in _values)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return ScrubSecretProperties(text);
    }

    /// <summary>
    /// Masks the string value of any JSON property whose name says it holds a secret (<c>key</c>,
    /// <c>*_key</c>, <c>*Key</c>, <c>*secret*</c>, <c>*password*</c>), plain or escaped inside another
    /// JSON string. This covers a secret the registry cannot know yet, such as a provider key in the
    /// incoming JSON-RPC message the SDK logs at Trace before any tool code runs.
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

    private const string SecretName = @"[A-Za-z0-9_.\-]*(?:key|secret[A-Za-z0-9_\-]*|password[A-Za-z0-9_\-]*)";

    [GeneratedRegex(@"(""" + SecretName + @"""\s*:\s*"")(?:[^""\\]|\\.)*""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PlainSecretProperty();

    [GeneratedRegex(@"(\\""" + SecretName + @"\\""\s*:\s*\\"")(?:\\\\|[^""\\])*\\""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EscapedSecretProperty();
}
