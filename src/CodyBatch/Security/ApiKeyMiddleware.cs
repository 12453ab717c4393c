using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Configuration;
using Microsoft.Extensions.Options;

namespace CodyBatch.Security;

/// <summary>
/// When <c>CodyBatch:ApiKeys</c> is set, every <c>/api</c> request needs
/// <c>Authorization: Bearer &lt;key&gt;</c> (except the GitHub webhook, which is signed instead). Keys are compared by their SHA-256 digests in
/// constant time, so neither their content nor their length leaks through timing.
/// </summary>
internal static class ApiKeyMiddleware
{
    private const string ForwardedAuthorization = "X-CodyBatch-Authorization";

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

        app.Use(async (context, next) =>
        {
            // Webhooks authenticate by their signature; GitHub cannot send an API key.
            if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                || context.Request.Path.Equals(Webhooks.WebhookEndpoints.GitHubPath, StringComparison.OrdinalIgnoreCase)
                || IsAuthorized(context, digests))
            {
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

    private static bool IsAuthorized(HttpContext context, byte[][] digests)
    {
        // Behind CloudFront on AWS the origin request carries CloudFront's own signature in Authorization; the
        // viewer's header arrives as X-CodyBatch-Authorization (copied by a CloudFront Function, see infra/).
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            header = context.Request.Headers[ForwardedAuthorization].ToString();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        var match = false;
        foreach (var digest in digests)
        {
            // No early exit: every key is compared whatever matched before.
            match |= CryptographicOperations.FixedTimeEquals(presented, digest);
        }

        return match;
    }
}
