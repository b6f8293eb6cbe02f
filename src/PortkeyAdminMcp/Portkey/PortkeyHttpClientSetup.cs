using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using PortkeyAdminMcp.Configuration;

namespace PortkeyAdminMcp.Portkey;

/// <summary>Registers the one typed HttpClient and its resilience pipeline.</summary>
public static class PortkeyHttpClientSetup
{
    public const string PipelineName = "portkey";

    /// <summary>Attempts per idempotent call, the first included.</summary>
    public const int MaxAttempts = 3;

    /// <summary>A Retry-After longer than this is reported to the agent instead of waited out.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(20);

    public static IServiceCollection AddPortkeyClient(this IServiceCollection services, string userAgent)
    {
        services
            .AddHttpClient<PortkeyClient>((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<PortkeyOptions>>().Value;
                client.BaseAddress = options.BaseAddress;
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(new ProductHeaderValue("PortkeyAdminMcp", userAgent)));
                // The resilience pipeline owns time limits (per attempt, and in total).
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would carry the x-portkey-api-key header to wherever it points.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler(PipelineName, static (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<PortkeyOptions>>().Value;
                var attemptTimeout = options.Timeout;

                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = MaxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(400),
                    MaxDelay = MaxRetryAfter,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                };
                // A retried POST is a second key: creates and rotations are sent exactly once.
                retry.DisableFor(HttpMethod.Post, HttpMethod.Patch, HttpMethod.Connect);

                builder
                    .AddTimeout(attemptTimeout * MaxAttempts + MaxRetryAfter * (MaxAttempts - 1))
                    .AddRetry(retry)
                    .AddTimeout(attemptTimeout);
            });

        return services;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status is not (408 or 429) && status < 500)
        {
            return false;
        }

        // Honour Retry-After, but never wait out a long one: the agent is told when to come back instead.
        return RetryAfter(response) is not { } wait || wait <= MaxRetryAfter;
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return response.Headers.TryGetValues("Retry-After", out var values) &&
               double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
