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
        var client = services
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
            .RedactLoggedHeaders(_ => true);
        client.AddResilienceHandler(PipelineName, static (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<PortkeyOptions>>().Value;
                var clock = context.ServiceProvider.GetRequiredService<TimeProvider>();
                var attemptTimeout = options.Timeout;

                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = MaxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(400),
                    MaxDelay = MaxRetryAfter,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, clock.GetUtcNow())),
                };
                // Per method: a retried POST is a second key, so creates and rotations are sent exactly once. GET and
                // PUT are safe to repeat (the same body sets the same state); a DELETE is repeated too, and a 404 after
                // an attempt that may have gone through is read as "gone" (PortkeyClient), which is what was asked.
                retry.DisableFor(HttpMethod.Post, HttpMethod.Patch, HttpMethod.Connect);

                builder
                    .AddTimeout(attemptTimeout * MaxAttempts + MaxRetryAfter * (MaxAttempts - 1))
                    .AddRetry(retry)
                    .AddTimeout(attemptTimeout);
            });

        // Innermost, so each attempt's time limit also covers reading its body, and every attempt is noted.
        client.AddHttpMessageHandler(() => new AttemptLog());

        return services;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, DateTimeOffset now)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or IOException or Polly.Timeout.TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status is not (408 or 429) && status < 500)
        {
            return false;
        }

        // Honour Retry-After, but never wait out a long one: the agent is told when to come back instead.
        return RetryAfterHeader.Read(response.Headers, now) is not { } wait || wait <= MaxRetryAfter;
    }
}
