using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Access;
using CodyBatch.GitHub;
using CodyBatch.GitHub.PullRequests;
using CodyBatch.Problems;

namespace CodyBatch.Webhooks;

/// <summary>
/// <c>POST /api/webhooks/github</c>: GitHub's deliveries about pull requests. No API key: the
/// <c>X-Hub-Signature-256</c> HMAC of the raw body under <c>CodyBatch:GitHub:WebhookSecret</c>,
/// compared in constant time, is the authentication. A delivery id seen before is not applied again.
/// </summary>
internal static partial class WebhookEndpoints
{
    /// <summary>The route, for the API key check to leave alone.</summary>
    public const string GitHubPath = "/api/webhooks/github";

    /// <summary>
    /// The one body limit of this route, in place of the API's: GitHub caps webhook payloads at 25 MB.
    /// The pipeline refuses a larger declared length and sets the server's limit to this; the reader below holds to it too.
    /// </summary>
    public const int MaxPayloadBytes = 25 << 20;

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var webhooks = routes.MapGroup("/api/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/github", ReceiveAsync)
            .AddEndpointFilter(CountDeliveryAsync)
            .WithName("ReceiveGitHubWebhook")
            .WithoutApiKey()
            .WithSummary("A GitHub webhook delivery (pull_request, pull_request_review, check_run, check_suite, status); authenticated by its X-Hub-Signature-256, not by an API key.")
            .Accepts<JsonElement>("application/json")
            .WithMetadata(new BodyLimit(MaxPayloadBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        IOptions<GitHubOptions> options,
        IDeliveryLog deliveries,
        PullRequestTracker tracker,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Webhooks are not set up",
                detail: "CodyBatch:GitHub:WebhookSecret is not set, so no delivery can be verified; set it to the webhook's secret.");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"GitHub's deliveries are at most 25 MB; this one is larger than {MaxPayloadBytes:N0} bytes.");
        }

        if (!SignatureMatches(secret, body, request.Headers["X-Hub-Signature-256"].ToString()))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Bad signature",
                detail: "X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body under the webhook secret; nothing was changed.");
        }

        var delivery = request.Headers["X-GitHub-Delivery"].ToString();
        var eventName = request.Headers["X-GitHub-Event"].ToString();
        if (delivery.Length is 0 or > 200 || eventName.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a GitHub delivery", detail: "X-GitHub-Delivery and X-GitHub-Event are required.");
        }

        PullRequestEvent? parsed;
        try
        {
            parsed = JsonNode.Parse(body) is { } payload ? GitHubWebhookEvents.Parse(eventName, payload) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable payload", detail: $"The {eventName} payload is not what GitHub sends ({e.Message}).");
        }

        if (parsed is null)
        {
            return TypedResults.Ok(new WebhookReceipt(delivery, eventName, Duplicate: false, Applied: 0));
        }

        if (!await deliveries.TryRecordDeliveryAsync(delivery, time.GetUtcNow(), cancellationToken))
        {
            return TypedResults.Ok(new WebhookReceipt(delivery, eventName, Duplicate: true, Applied: 0));
        }

        try
        {
            var applied = await tracker.ApplyAsync(parsed, cancellationToken);
            LogApplied(loggers.CreateLogger(typeof(WebhookEndpoints).FullName!), eventName, delivery, applied);
            return TypedResults.Ok(new WebhookReceipt(delivery, eventName, Duplicate: false, Applied: applied));
        }
        catch
        {
            // Not applied: a redelivery of the same id must be.
            await deliveries.ForgetDeliveryAsync(delivery, CancellationToken.None);
            throw;
        }
    }

    // The webhook delivery metric: each delivery by event (only once its signature is verified) and outcome.
    private static async ValueTask<object?> CountDeliveryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var (gitHubEvent, outcome) = ("unverified", "failed");
        try
        {
            var result = await next(context);
            (gitHubEvent, outcome) = (result as INestedHttpResult)?.Result switch
            {
                Ok<WebhookReceipt> { Value: { } receipt } => (receipt.Event, receipt.Duplicate ? "duplicate" : receipt.Applied > 0 ? "applied" : "ignored"),
                ProblemHttpResult { StatusCode: StatusCodes.Status401Unauthorized } => (gitHubEvent, "bad_signature"),
                ProblemHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable } => (gitHubEvent, "not_configured"),
                _ => (gitHubEvent, "refused"),
            };
            return result;
        }
        finally
        {
            CodyBatch.Core.Telemetry.CodyBatchMetrics.WebhookDelivered(gitHubEvent, outcome);
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxPayloadBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxPayloadBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>True when <paramref name="header"/> is <c>sha256=</c> and the hex HMAC-SHA256 of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    internal static bool SignatureMatches(string secret, byte[] body, string header)
    {
        var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        var presented = Encoding.ASCII.GetBytes(header.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub {Event} delivery {Delivery} changed {Applied} runs' pull requests")]
    private static partial void LogApplied(ILogger logger, string @event, string delivery, int applied);
}
