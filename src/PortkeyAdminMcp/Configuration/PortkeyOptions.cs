namespace PortkeyAdminMcp.Configuration;

/// <summary>
/// How this server reaches Portkey. Bound from environment variables (the way MCP client configs pass
/// settings) and checked by <see cref="PortkeyOptionsValidator"/> before the server starts.
/// </summary>
public sealed class PortkeyOptions
{
    public const string ApiKeyVariable = "PORTKEY_API_KEY";
    public const string BaseUrlVariable = "PORTKEY_BASE_URL";
    public const string TimeoutVariable = "PORTKEY_TIMEOUT_SECONDS";
    public const string DefaultBaseUrl = "https://api.portkey.ai/v1";
    public const int DefaultTimeoutSeconds = 30;

    public string? ApiKey { get; set; }

    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>As written in the environment; parsed into <see cref="Timeout"/> once validated.</summary>
    public string? TimeoutSeconds { get; set; }

    public bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>The time one attempt may take; retries of idempotent calls get their own.</summary>
    public TimeSpan Timeout =>
        TimeSpan.FromSeconds(int.TryParse(TimeoutSeconds, out var seconds) ? seconds : DefaultTimeoutSeconds);

    /// <summary>The base URL with exactly one trailing slash, so relative paths append rather than replace.</summary>
    public Uri BaseAddress => new(BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
}
