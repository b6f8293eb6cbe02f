using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace PortkeyAdminMcp.Configuration;

public sealed class PortkeyOptionsValidator : IValidateOptions<PortkeyOptions>
{
    public ValidateOptionsResult Validate(string? name, PortkeyOptions options)
    {
        var failures = new List<string>();

        var baseUrlProblem = CheckBaseUrl(options.BaseUrl);
        if (baseUrlProblem is not null)
        {
            failures.Add(baseUrlProblem);
        }

        if (options.TimeoutSeconds is { } timeout &&
            (!int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 600))
        {
            failures.Add($"{PortkeyOptions.TimeoutVariable} must be a whole number of seconds from 1 to 600 (got '{Shorten(timeout)}')");
        }

        if (options.ApiKey is { } key && key.Length > 0 && (key.Trim() != key || key.Any(char.IsControl)))
        {
            failures.Add($"{PortkeyOptions.ApiKeyVariable} has leading or trailing spaces or control characters; paste the key alone");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// https anywhere; plain http only to this machine, because the API key travels in a header and
    /// must never cross a network unencrypted.
    /// </summary>
    public static string? CheckBaseUrl(string? value)
    {
        const string Rule = PortkeyOptions.BaseUrlVariable + " must be an absolute https URL such as " + PortkeyOptions.DefaultBaseUrl +
            " (plain http is allowed only for localhost, 127.0.0.0/8 and [::1])";
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            return $"{Rule}; got '{Shorten(value ?? string.Empty)}'";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"{PortkeyOptions.BaseUrlVariable} must not carry credentials in the URL; set {PortkeyOptions.ApiKeyVariable} instead";
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"{PortkeyOptions.BaseUrlVariable} must not have a query or fragment; got '{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}?…'";
        }

        return uri.Scheme switch
        {
            "https" => null,
            "http" when IsLoopback(uri) => null,
            "http" => $"{Rule}; got plain http to '{uri.Host}'",
            _ => $"{Rule}; got scheme '{uri.Scheme}'",
        };
    }

    public static bool IsLoopback(Uri uri)
    {
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address);
    }

    private static string Shorten(string value) => value.Length > 80 ? value[..77] + "..." : value;
}
