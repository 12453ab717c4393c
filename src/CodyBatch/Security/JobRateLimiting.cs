using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CodyBatch.Security;

/// <summary>
/// Job creation is rate-limited per API key (a token bucket of <see cref="JobRateLimitOptions.Burst"/>
/// refilled at <see cref="JobRateLimitOptions.JobsPerMinute"/>); without keys, per client address. A
/// refused request gets 429 with <c>Retry-After</c> and problem details.
/// </summary>
internal static class JobRateLimiting
{
    /// <summary>The policy name endpoints ask for.</summary>
    public const string JobCreation = "job-creation";

    public static IServiceCollection AddJobRateLimiting(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<JobRateLimitOptions>().BindConfiguration(JobRateLimitOptions.Section).ValidateDataAnnotations();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(JobCreation, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<JobRateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.Burst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / settings.JobsPerMinute,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<JobRateLimitOptions>>().Value;
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? retryAfter
                    : TimeSpan.FromMinutes(1) / settings.JobsPerMinute;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many jobs",
                    detail: $"This API key may create {settings.Burst} jobs at once and {settings.JobsPerMinute} per minute (CodyBatch:RateLimit); try again in {seconds} seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    // The authenticated caller: a named key by its id, a configured key by its name; without keys, the client's address.
    private static string PartitionKey(HttpContext context) =>
        Access.AccessMiddleware.CallerOf(context) is { } caller && caller != Core.Access.Caller.Local
            ? "key:" + (caller.KeyId ?? caller.Name)
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
