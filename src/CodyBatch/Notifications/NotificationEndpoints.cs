using CodyBatch.Core.Notifications;

namespace CodyBatch.Notifications;

/// <summary>The <c>/api/jobs/{id}/notifications</c> route: the delivery log of a job's notifications.</summary>
internal static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/jobs").WithTags("Notifications")
            .MapGet("/{id}/notifications", ListAsync)
            .WithName("ListJobNotifications").WithSummary("Every attempt to deliver the job's notifications (webhook, Slack), oldest first; addresses and secrets are never shown.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationDelivery>>, ProblemHttpResult>> ListAsync(
        string id, JobService jobs, INotificationLog log, CancellationToken cancellationToken) =>
        await jobs.GetAsync(id, cancellationToken) is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no job {id}.")
            : TypedResults.Ok(await log.ListAsync(id, cancellationToken));
}
