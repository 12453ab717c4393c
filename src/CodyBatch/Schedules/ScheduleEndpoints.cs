using CodyBatch.Access;
using CodyBatch.Core.Access;
using CodyBatch.Core.Schedules;
using CodyBatch.Security;
using Microsoft.AspNetCore.Mvc;

namespace CodyBatch.Schedules;

/// <summary>
/// The <c>/api/schedules</c> routes, and <c>POST /events/schedules</c>, which an outside
/// scheduler (EventBridge Scheduler on AWS, through the Lambda Web Adapter) calls in place of the
/// in-process loop. That call needs an API key like <c>/api</c>, except where the Lambda Web Adapter
/// passes the scheduler's IAM-authorized invocation through (see <see cref="ScheduleOptions.LambdaPassThrough"/>).
/// </summary>
internal static class ScheduleEndpoints
{
    /// <summary>Where the Lambda Web Adapter passes EventBridge Scheduler's events (<c>AWS_LWA_PASS_THROUGH_PATH</c>).</summary>
    public const string EventsPath = "/events/schedules";

    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder routes)
    {
        var schedules = routes.MapGroup("/api/schedules").WithTags("Schedules");
        schedules.MapGet("/", ListAsync)
            .WithName("ListSchedules").WithSummary("Schedules with their next firing times and past firings; ?author= keeps those one author created.");
        schedules.MapPost("/", CreateAsync)
            .WithName("CreateSchedule").RequireRole(Role.Admin).WithSummary("Create a schedule: a prompt or saved prompt, repositories, mode, checks and model, fired on a cron expression in a time zone.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        schedules.MapGet("/{id}", GetAsync)
            .WithName("GetSchedule").WithSummary("One schedule with its next firing times and past firings.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        schedules.MapPut("/{id}", UpdateAsync)
            .WithName("UpdateSchedule").RequireRole(Role.Admin)
            .WithSummary("Replace a schedule's specification (same body as create); its firings and campaign stay, a changed cron or time zone counts from now. With If-Match (the ETag or revision read), an edit made from a stale read is a 412.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        schedules.MapPost("/{id}/pause", (string id, ScheduleService service, TimeProvider time, CancellationToken ct) => SetEnabledAsync(id, false, service, time, ct))
            .WithName("PauseSchedule").RequireRole(Role.Admin).WithSummary("Pause a schedule: it starts nothing until resumed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        schedules.MapPost("/{id}/resume", (string id, ScheduleService service, TimeProvider time, CancellationToken ct) => SetEnabledAsync(id, true, service, time, ct))
            .WithName("ResumeSchedule").RequireRole(Role.Admin).WithSummary("Resume a paused schedule from now on; firings missed while paused are not started.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        schedules.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteSchedule").RequireRole(Role.Admin).WithSummary("Delete a schedule; its jobs and pull requests stay.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapPost(EventsPath, FireDueAsync).WithTags("Schedules").ExcludeFromDescription().RequireRole(Role.Admin);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<ScheduleResponse>>> ListAsync(ScheduleService service, TimeProvider time, CancellationToken cancellationToken, string? author = null) =>
        TypedResults.Ok<IReadOnlyList<ScheduleResponse>>([.. (await service.ListAsync(cancellationToken))
            .Where(s => string.IsNullOrWhiteSpace(author) || string.Equals(s.Author, author.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(s => ScheduleResponse.From(s, time.GetUtcNow()))]);

    private static async Task<Results<Created<ScheduleResponse>, ValidationProblem>> CreateAsync(
        ScheduleRequest request, HttpContext http, ScheduleService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var result = await service.CreateAsync(request, Callers.Of(http), cancellationToken);
        return result.Schedule is { } schedule
            ? TypedResults.Created($"/api/schedules/{schedule.Id}", ScheduleResponse.From(schedule, time.GetUtcNow()))
            : TypedResults.ValidationProblem(result.Errors, title: "The schedule has problems", detail: "Fix the fields listed in errors and submit again.");
    }

    private static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, ScheduleRequest request, HttpContext http, ScheduleService service, TimeProvider time, CancellationToken cancellationToken,
        [FromHeader(Name = "If-Match")] string? ifMatch = null)
    {
        var result = await service.UpdateAsync(id, request, cancellationToken, await RevisionAsync(id, ifMatch, service, cancellationToken));
        if (result.NotFound)
        {
            return NotFound(id);
        }

        if (result.Stale is { } now)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status412PreconditionFailed,
                title: "The schedule was edited since you read it",
                detail: $"Schedule \"{now.Name}\" was edited at {now.UpdatedAt:u} (it is at revision {now.Revision}, your edit was made on {ifMatch!.Trim()}); nothing was changed. Read it again and make your edit on what it holds now.");
        }

        if (result.Schedule is not { } schedule)
        {
            return TypedResults.ValidationProblem(result.Errors, title: "The schedule has problems", detail: "Fix the fields listed in errors and submit again.");
        }

        http.Response.Headers.ETag = ScheduleResponse.Tag(schedule);
        return TypedResults.Ok(ScheduleResponse.From(schedule, time.GetUtcNow()));
    }

    // The revision an If-Match asks for (RFC 9110 §13.1.1): null for none or "*" (any); else the strong tags it lists
    // ("3"; a weak tag W/"3" never matches under the strong comparison If-Match uses). Several tags match when one is
    // the schedule's revision now; one that names none can match nothing (-1).
    private static async Task<long?> RevisionAsync(string id, string? ifMatch, ScheduleService service, CancellationToken cancellationToken)
    {
        var header = ifMatch?.Trim();
        if (string.IsNullOrEmpty(header) || header == "*")
        {
            return null;
        }

        var revisions = new HashSet<long>();
        foreach (var tag in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
                && long.TryParse(tag[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision))
            {
                revisions.Add(revision);
            }
        }

        return revisions.Count switch
        {
            0 => -1,
            1 => revisions.Single(),
            _ => await service.GetAsync(id, cancellationToken) is { } now && revisions.Contains(now.Revision) ? now.Revision : -1,
        };
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> GetAsync(string id, HttpContext http, ScheduleService service, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await service.GetAsync(id, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        http.Response.Headers.ETag = ScheduleResponse.Tag(schedule);
        return TypedResults.Ok(ScheduleResponse.From(schedule, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> SetEnabledAsync(
        string id, bool enabled, ScheduleService service, TimeProvider time, CancellationToken cancellationToken) =>
        await service.SetEnabledAsync(id, enabled, cancellationToken) is { } schedule ? TypedResults.Ok(ScheduleResponse.From(schedule, time.GetUtcNow())) : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ScheduleService service, CancellationToken cancellationToken) =>
        await service.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Ok<FiredResponse>> FireDueAsync(ScheduleRunner runner, CancellationToken cancellationToken)
    {
        var recorded = await runner.RunOnceAsync(cancellationToken);
        return TypedResults.Ok(new FiredResponse([.. recorded.Select(r => new FiredResponse.Entry(r.ScheduleId, r.Firing))]));
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no schedule {id}.");
}
