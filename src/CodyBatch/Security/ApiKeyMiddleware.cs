using System.Net;
using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Admission;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Schedules;
using CodyBatch.Schedules;
using Microsoft.Extensions.Options;

namespace CodyBatch.Security;

/// <summary>
/// When <c>CodyBatch:ApiKeys</c> is set, every <c>/api</c> request and <c>POST /events/schedules</c> needs
/// an API key (see <see cref="BearerCredentials"/> for the spellings), except the GitHub webhook, which is
/// signed instead. Keys are compared by their SHA-256 digests in constant time, so neither their content
/// nor their length leaks through timing. The request's <see cref="Caller"/> is derived from the digest.
/// </summary>
internal static class ApiKeyMiddleware
{
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        var digests = app.Services.GetRequiredService<IOptions<CodyBatchOptions>>().Value.ApiKeys
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim())))
            .ToArray();
        if (digests.Length == 0)
        {
            return app;
        }

        var lambdaEvents = app.Services.GetRequiredService<IOptions<ScheduleOptions>>().Value.LambdaPassThrough;
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var events = path.StartsWithSegments(ScheduleEndpoints.EventsPath, StringComparison.OrdinalIgnoreCase);

            // Webhooks authenticate by their signature; GitHub cannot send an API key.
            if ((!events && !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                || path.Equals(Webhooks.WebhookEndpoints.GitHubPath, StringComparison.OrdinalIgnoreCase)
                || (events && lambdaEvents && IsLambdaPassThrough(context)))
            {
                await next(context);
                return;
            }

            if (Authenticate(context, digests) is { } caller)
            {
                Callers.Set(context, caller);
                await next(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            await TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "API key required",
                detail: "Send an API key of this server as 'Authorization: Bearer <key>'.")
                .ExecuteAsync(context);
        });
        return app;
    }

    /// <summary>
    /// An event the Lambda Web Adapter passed through (EventBridge Scheduler's invocation, which IAM
    /// authorized): it comes from the adapter on loopback, and the adapter sets
    /// <c>x-amzn-request-context</c> on every request it forwards, to <c>null</c> only for such events
    /// (an HTTP request through the function URL carries its request context there instead).
    /// </summary>
    private static bool IsLambdaPassThrough(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        && context.Request.Headers["x-amzn-request-context"] is { Count: 1 } requestContext
        && requestContext[0] == "null";

    private static Caller? Authenticate(HttpContext context, byte[][] digests)
    {
        if (BearerCredentials.Read(context.Request) is not { } key)
        {
            return null;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var match = false;
        foreach (var digest in digests)
        {
            // No early exit: every key is compared whatever matched before.
            match |= CryptographicOperations.FixedTimeEquals(presented, digest);
        }

        return match ? Caller.ForKeyDigest(presented) : null;
    }
}
