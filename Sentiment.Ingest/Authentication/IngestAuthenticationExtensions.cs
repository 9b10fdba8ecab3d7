using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Sentiment.Ingest.Telemetry;
using Sentiment.ServiceDefaults.Authentication;

namespace Sentiment.Ingest.Authentication;

public static class IngestAuthenticationExtensions
{
    /// <summary>The rate-limiting policy of the ingest endpoint: one token bucket per API key.</summary>
    public const string PerKeyPolicy = "per-key";

    /// <summary>
    /// API keys on every endpoint but the health probes: a request without a good key gets 401 before anything else
    /// reads it. Each key is rate limited on its own.
    /// </summary>
    public static IHostApplicationBuilder AddIngestAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestAuthenticationOptions>()
            .BindConfiguration(IngestAuthenticationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IApiKeyStore, IngestKeyStore>();

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationHandler.SchemeName)
            .Configure<IOptions<IngestOptions>>((authentication, ingest) => authentication.RetryAfterSeconds = ingest.Value.RetryAfterSeconds);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());

        builder.Services.AddOptions<IngestRateLimitOptions>()
            .BindConfiguration(IngestRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PerKeyPolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<IngestRateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(context.User.Identity?.Name ?? "", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = WriteTooManyRequestsAsync;
        });
        return builder;
    }

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.RequestServices.GetRequiredService<IngestTelemetry>().RecordRejected(StatusCodes.Status429TooManyRequests);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await context.WriteProblemAsync(
            StatusCodes.Status429TooManyRequests,
            "Too many requests",
            $"This API key has used its requests for now; nothing from this request was published. Retry after {retryAfter} s.");
    }
}
