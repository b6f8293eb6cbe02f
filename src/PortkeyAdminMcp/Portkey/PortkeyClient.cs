using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Hosting;

namespace PortkeyAdminMcp.Portkey;

/// <summary>
/// The typed client for the Portkey Admin API: the only code that sends HTTP. Retries, timeouts and
/// redirect refusal live in the handler pipeline registered with it (see <see cref="PortkeyHttpClientSetup"/>).
/// </summary>
public sealed partial class PortkeyClient(
    HttpClient http,
    IOptions<PortkeyOptions> options,
    ClientConnection client,
    TimeProvider clock,
    ILogger<PortkeyClient> logger)
{
    public const string ApiKeyHeader = "x-portkey-api-key";

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
                $"Portkey answered {request.Method} /{request.Path} with a body that is not valid JSON ({body.Length} characters, not shown); nothing can be read from it." +
                TookEffect(request));
        }
    }

    /// <summary>
    /// Sends a write whose answer nothing reads (an update, a delete): any 2xx is success, whatever its body holds,
    /// because the change it reports is what was asked.
    /// </summary>
    public async Task SendForEffectAsync(PortkeyRequest request, CancellationToken cancellationToken) =>
        await SendRawAsync(request, cancellationToken);

    /// <summary>What to add to a failure to read a write's 2xx answer: the change was accepted, so it has probably happened.</summary>
    private static string TookEffect(PortkeyRequest request) => request.Method == HttpMethod.Get
        ? string.Empty
        : " Portkey accepted the request, so it has probably taken effect: check before repeating it.";

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
                $"Portkey answered {request.Method} /{request.Path} with JSON of an unexpected shape ({exception.Path ?? "root"}); nothing can be read from it." +
                TookEffect(request));
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

        var record = Calls.CallRecord.Current;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            NoteWrite(record, request, message, "was cancelled in flight");
            throw;
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or TaskCanceledException or TimeoutException)
        {
            LogFailure(logger, request.Method.Method, request.Path, "timeout");
            NoteWrite(record, request, message, "timed out");
            throw new PortkeyTransportException(
                $"Portkey did not answer {Describe(request)} within {settings.Timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s" +
                (request.IsIdempotent
                    ? $" on any of {AttemptLog.Of(message).Count.ToString(CultureInfo.InvariantCulture)} attempts."
                    : " (not retried: a create must never be sent twice; check whether it took effect before repeating it)."));
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            var attempts = AttemptLog.Of(message);
            var answered = attempts.Count > 0 ? attempts[^1].Status : null;
            var error = exception is HttpRequestException failure ? failure.HttpRequestError : HttpRequestError.Unknown;
            LogFailure(logger, request.Method.Method, request.Path, error.ToString());
            NoteWrite(record, request, message, answered is null ? "failed in transport" : "broke off in its answer");
            if (answered is { } status)
            {
                throw new PortkeyTransportException(
                    $"Portkey's answer to {Describe(request)} broke off before it was complete (HTTP {status.ToString(CultureInfo.InvariantCulture)})." +
                    (request.IsIdempotent ? "" : " It may have taken effect: check before repeating it."));
            }

            throw new PortkeyTransportException(
                $"Could not reach Portkey for {Describe(request)}: {Describe(error)}" +
                (request.IsIdempotent ? "" : " A create is never retried automatically; check whether it took effect before repeating it."));
        }

        using (response)
        {
            // The body was read inside the attempt (AttemptLog), within its time limit; this only decodes it.
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            var status = (int)response.StatusCode;
            record?.Upstream(request, status);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCall(logger, request.Method.Method, request.Path, status, elapsed);
            var attempts = AttemptLog.Of(message);
            var earlierMayHaveActed = attempts.Count > 1 && attempts.Take(attempts.Count - 1).Any(a => a.MayHaveActed);
            if (status is < 400 or >= 500 || earlierMayHaveActed)
            {
                NoteWrite(record, request, message, $"was answered HTTP {status.ToString(CultureInfo.InvariantCulture)}");
            }

            // A retried DELETE whose earlier attempt may have gone through finds nothing left: that is the outcome asked for.
            if (status == 404 && request.Method == HttpMethod.Delete && earlierMayHaveActed)
            {
                LogGoneAfterRetry(logger, request.Path);
                return string.Empty;
            }

            if (status is >= 300 and < 400)
            {
                throw new PortkeyApiException(
                    new PortkeyError(status, null,
                        "Portkey answered with a redirect, which this server does not follow (the API key must not travel to another address). Check PORTKEY_BASE_URL."),
                    Describe(request));
            }

            // A refusal of a retry says nothing of the attempt before it, which may have gone through: say so, not "refused".
            if (status is >= 400 and < 500 && earlierMayHaveActed)
            {
                var earlier = string.Join(", ", attempts.Take(attempts.Count - 1));
                throw new PortkeyTransportException(
                    $"{Describe(request)} may have taken effect: an earlier attempt got no clear answer ({earlier}) and the retry was answered HTTP {status.ToString(CultureInfo.InvariantCulture)}. " +
                    "Check the record's state before repeating it.");
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = PortkeyError.FromResponse(status, body, response.ReasonPhrase);
                throw new PortkeyApiException(error with
                {
                    RetryAfter = RetryAfterHeader.Read(response.Headers, clock.GetUtcNow()),
                }, Describe(request));
            }

            return body;
        }
    }

    /// <summary>Notes on the call's record that a write may have changed Portkey, unless every attempt provably did not.</summary>
    private static void NoteWrite(Calls.CallRecord? record, PortkeyRequest request, HttpRequestMessage message, string what)
    {
        if (record is null || request.Method == HttpMethod.Get)
        {
            return;
        }

        var attempts = AttemptLog.Of(message);
        if (attempts.Any(a => a.MayHaveActed))
        {
            record.MayHaveWritten($"{Describe(request)} {what} ({string.Join(", ", attempts)})");
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Portkey DELETE /{Path} -> 404 after an earlier attempt that may have deleted it: reported as deleted")]
    private static partial void LogGoneAfterRetry(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portkey {Method} /{Path} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string method, string path, string reason);
}
