using System.Net.Http.Headers;

namespace PortkeyAdminMcp.Portkey;

/// <summary>What became of one HTTP attempt of a request.</summary>
public sealed class Attempt
{
    /// <summary>The status Portkey answered with; null when no answer arrived.</summary>
    public int? Status { get; set; }

    /// <summary>No connection could be opened (name, connect or TLS failure): the request never left this machine.</summary>
    public bool NeverSent { get; set; }

    /// <summary>Whether this attempt may have reached Portkey and been acted on: anything but never-sent or a 4xx answer.</summary>
    public bool MayHaveActed => !NeverSent && Status is not (>= 400 and < 500);

    public override string ToString() => NeverSent ? "not sent" : Status is { } status ? $"HTTP {status}" : "no answer";
}

/// <summary>
/// The innermost handler, inside the retry and the per-attempt time limit: it reads each answer's body into memory
/// within the attempt (so the time limit covers a body that stalls or trickles, not only the headers) and notes
/// what became of every attempt on the request, so a retried write can be reported truthfully.
/// </summary>
public sealed class AttemptLog : DelegatingHandler
{
    // Admin answers are small; a multi-megabyte body is a fault, not data.
    public const int MaxResponseBytes = 8 * 1024 * 1024;

    public static readonly HttpRequestOptionsKey<List<Attempt>> Key = new("portkey.attempts");

    public static IReadOnlyList<Attempt> Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var attempts) ? attempts : [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Key, out var attempts))
        {
            attempts = [];
            request.Options.Set(Key, attempts);
        }

        var attempt = new Attempt();
        lock (attempts)
        {
            attempts.Add(attempt);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError is HttpRequestError.NameResolutionError
                                                         or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError)
        {
            attempt.NeverSent = true;
            throw;
        }

        attempt.Status = (int)response.StatusCode;
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxResponseBytes, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }
}

/// <summary>Retry-After, read without ever overflowing: an absurd value is reported as a very long wait.</summary>
public static class RetryAfterHeader
{
    /// <summary>Anything longer is as good as "not today" and is capped here, so no arithmetic on it can overflow.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var header = headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return Cap(delta);
        }

        if (header?.Date is { } date)
        {
            return date <= now ? TimeSpan.Zero : Cap(date - now);
        }

        if (!headers.TryGetValues("Retry-After", out var values) ||
            !double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ||
            !double.IsFinite(seconds))
        {
            return null;
        }

        return seconds <= 0 ? TimeSpan.Zero : seconds >= Longest.TotalSeconds ? Longest : TimeSpan.FromSeconds(seconds);
    }

    private static TimeSpan Cap(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Longest ? Longest : wait;
}
