using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Portkey;

/// <summary>
/// The typed client for the Portkey Admin API: the only code that sends HTTP. Retries, timeouts and
/// redirect refusal live in the handler pipeline registered with it (see <see cref="PortkeyHttpClientSetup"/>).
/// </summary>
public sealed partial class PortkeyClient(
    HttpClient http,
    IOptions<PortkeyOptions> options,
    SecretRegistry secrets,
    ClientConnection client,
    ILogger<PortkeyClient> logger)
{
    public const string ApiKeyHeader = "x-portkey-api-key";

    // Admin answers are small; a multi-megabyte body is a fault, not data.
    private const int MaxResponseCharacters = 8 * 1024 * 1024;

    /// <summary>Sends the request and returns the JSON body (an empty object for an empty body).</summary>
    public async Task<JsonElement> SendAsync(PortkeyRequest request, CancellationToken cancellationToken)
    {
        var body = await SendRawAsync(request, cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return EmptyObject();
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new PortkeyTransportException(
                $"Portkey answered {request.Method} /{request.Path} with a body that is not valid JSON ({body.Length} characters, not shown); nothing can be read from it.");
        }
    }

    public async Task<T> SendAsync<T>(PortkeyRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var element = await SendAsync(request, cancellationToken);
        return Read(element, typeInfo, request);
    }

    /// <summary>
    /// Reads a record back after a write that already succeeded: a failure here must not turn the write into
    /// an error result, so it comes back as text beside a null record.
    /// </summary>
    public async Task<(T? Record, string Message)> ReadBackAsync<T>(PortkeyRequest get, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await SendAsync(get, typeInfo, cancellationToken), "Updated.");
        }
        catch (PortkeyException exception)
        {
            return (null, $"Updated, but reading it back failed: {exception.Message}");
        }
    }

    public static T Read<T>(JsonElement element, JsonTypeInfo<T> typeInfo, PortkeyRequest request)
    {
        try
        {
            return element.Deserialize(typeInfo) ?? throw new JsonException("null");
        }
        catch (JsonException exception)
        {
            throw new PortkeyTransportException(
                $"Portkey answered {request.Method} /{request.Path} with JSON of an unexpected shape ({exception.Path ?? "root"}); nothing can be read from it.");
        }
    }

    private async Task<string> SendRawAsync(PortkeyRequest request, CancellationToken requestCancelled)
    {
        // A client that has closed stdin will never read the answer; a call still waiting on Portkey must not hold the exit up.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestCancelled, client.Gone);
        var cancellationToken = linked.Token;
        var settings = options.Value;
        if (!settings.HasApiKey)
        {
            throw new PortkeyNotConfiguredException();
        }

        using var message = new HttpRequestMessage(request.Method, request.RelativeUri);
        message.Headers.TryAddWithoutValidation(ApiKeyHeader, settings.ApiKey);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypeNames.Application.Json));
        if (request.Body is not null)
        {
            var json = request.Body.ToJsonString(PortkeyJsonContext.Default.Options);
            message.Content = new StringContent(json, Encoding.UTF8, MediaTypeNames.Application.Json);
            message.Content.Headers.ContentType!.CharSet = null;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or TaskCanceledException or TimeoutException)
        {
            LogFailure(logger, request.Method.Method, request.Path, "timeout");
            throw new PortkeyTransportException(
                $"Portkey did not answer {request.Method} /{request.Path} within {settings.Timeout.TotalSeconds:0} s" +
                (request.IsIdempotent ? " (retries included)." : " (not retried: a create must never be sent twice; check whether it took effect before repeating it)."));
        }
        catch (HttpRequestException exception)
        {
            LogFailure(logger, request.Method.Method, request.Path, exception.HttpRequestError.ToString());
            throw new PortkeyTransportException(
                $"Could not reach Portkey for {request.Method} /{request.Path}: {Describe(exception.HttpRequestError)}" +
                (request.IsIdempotent ? "" : " A create is never retried automatically; check whether it took effect before repeating it."));
        }

        using (response)
        {
            string body;
            try
            {
                body = await ReadBodyAsync(response, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutRejectedException or TaskCanceledException)
            {
                throw new PortkeyTransportException(
                    $"Portkey's answer to {request.Method} /{request.Path} broke off before it was complete (HTTP {(int)response.StatusCode}).");
            }

            var status = (int)response.StatusCode;
            Audit.CallRecord.Current?.Upstream(request, status);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCall(logger, request.Method.Method, request.Path, status, elapsed);
            if (status is >= 300 and < 400)
            {
                throw new PortkeyApiException(
                    new PortkeyError(status, null,
                        "Portkey answered with a redirect, which this server does not follow (the API key must not travel to another address). Check PORTKEY_BASE_URL."),
                    Describe(request));
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = PortkeyError.FromResponse(status, body, response.ReasonPhrase);
                throw new PortkeyApiException(error with
                {
                    Message = secrets.Scrub(error.Message),
                    RetryAfter = PortkeyHttpClientSetup.RetryAfter(response),
                }, Describe(request));
            }

            return body;
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[16 * 1024];
        var builder = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            builder.Append(buffer, 0, read);
            if (builder.Length > MaxResponseCharacters)
            {
                throw new IOException("Response too large.");
            }
        }

        return builder.ToString();
    }

    private static string Describe(PortkeyRequest request) => $"{request.Method} /{request.Path}";

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name in PORTKEY_BASE_URL could not be resolved.",
        HttpRequestError.ConnectionError => "the connection was refused or reset.",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed.",
        HttpRequestError.ResponseEnded => "the connection closed before a complete answer arrived.",
        HttpRequestError.InvalidResponse => "the answer was not valid HTTP.",
        _ => "a network error occurred.",
    };

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Portkey {Method} /{Path} -> {Status} in {Milliseconds:0} ms")]
    private static partial void LogCall(ILogger logger, string method, string path, int status, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portkey {Method} /{Path} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string method, string path, string reason);
}
