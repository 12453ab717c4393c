using CodyBatch.Core.Artifacts;
using CodyBatch.Security;

namespace CodyBatch.Jobs;

/// <summary>The <c>/api/jobs</c> routes.</summary>
internal static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs");

        jobs.MapPost("/", CreateAsync)
            .WithName("CreateJob").WithSummary("Create a job: one prompt over 1–5 repositories.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .StartsJobs();
        jobs.MapGet("/", ListAsync)
            .WithName("ListJobs").WithSummary("Jobs, newest first, filtered by status, text and author, in pages; prompts and summaries as excerpts.")
            .ProducesValidationProblem();
        jobs.MapGet("/{id}", GetAsync)
            .WithName("GetJob").WithSummary("A job with all of its repository runs.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/cancel", CancelAsync)
            .WithName("CancelJob").WithSummary("Cancel what has not finished; running runs stop promptly and keep their threads.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/repositories/{owner}/{name}/retry", RetryAsync)
            .WithName("RetryRun").WithSummary("Run one failed or cancelled repository again.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .StartsJobs();
        jobs.MapPost("/{id}/retry-failed", RetryFailedAsync)
            .WithName("RetryFailedRuns").WithSummary("Run every failed repository of the job again.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .StartsJobs();
        jobs.MapPost("/{id}/repositories/{owner}/{name}/cancel", CancelRunAsync)
            .WithName("CancelRun").WithSummary("Cancel one repository's run; a running one stops promptly and keeps its thread.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapGet("/{id}/repositories/{owner}/{name}/patch", PatchAsync)
            .WithName("GetPatch").WithSummary("The run's patch as a git unified diff, as a download named owner-name.patch.")
            .Produces(StatusCodes.Status200OK, contentType: "text/x-diff")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id}/repositories/{owner}/{name}/thread", ThreadAsync)
            .WithName("GetThread").WithSummary("The run's message thread as JSON; while the run works, the thread so far.")
            .Produces<ThreadResponse>(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Created<JobResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateJobRequest request, JobService service, CancellationToken cancellationToken)
    {
        Job? job;
        ValidationResult validation;
        try
        {
            (job, validation) = await service.CreateAsync(
                new JobRequest
                {
                    Prompt = request.Prompt, Repositories = request.Repositories, Mode = request.Mode, Model = request.Model, Title = request.Title,
                    ThinkingBudgetTokens = request.ThinkingBudgetTokens, Checks = request.Checks, Publish = request.Publish,
                    Shell = request.Shell, Network = request.Network, BudgetUsd = request.BudgetUsd,
                },
                cancellationToken);
        }
        catch (Core.Access.SpendCapReachedException e)
        {
            return CapReached(e);
        }

        return job is null
            ? TypedResults.ValidationProblem(validation.Errors, title: "The job request has problems", detail: "Fix the fields listed in errors and submit again.")
            : TypedResults.Created($"/api/jobs/{job.Id}", JobResponse.From(job));
    }

    private static async Task<Results<Ok<JobListResponse>, ValidationProblem>> ListAsync(
        JobService service, CancellationToken cancellationToken, string? status = null, string? q = null, int? limit = null, string? cursor = null, string? author = null)
    {
        var errors = new Dictionary<string, string[]>();
        JobStatus? statusFilter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            // One name exactly: Enum.TryParse would also take "completed,running" (flags) or "2".
            if (Enum.GetNames<JobStatus>().FirstOrDefault(n => n.Equals(status, StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                statusFilter = Enum.Parse<JobStatus>(name);
            }
            else
            {
                errors["status"] = [$"\"{status}\" is not a job status; use queued, running, completed, failed or cancelled."];
            }
        }

        if (limit is < 1 or > 100)
        {
            errors["limit"] = ["limit must be between 1 and 100."];
        }

        if (!string.IsNullOrEmpty(cursor) && !JobId.IsValid(cursor))
        {
            errors["cursor"] = ["cursor is not one this API gave out; pass nextCursor from the previous page unchanged."];
        }

        if (q is { Length: > 200 })
        {
            errors["q"] = ["q is longer than 200 characters."];
        }

        if (author is { Length: > 200 })
        {
            errors["author"] = ["author is longer than 200 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query has problems");
        }

        var page = await service.ListAsync(
            new JobQuery(statusFilter, q, limit ?? 20, string.IsNullOrEmpty(cursor) ? null : cursor, JobListItem.ExcerptLength, author), cancellationToken);
        return TypedResults.Ok(new JobListResponse([.. page.Items.Select(JobListItem.From)], page.NextCursor));
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetAsync(string id, JobService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } job ? TypedResults.Ok(JobResponse.From(job)) : NoJob(id);

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelAsync(string id, JobService service, CancellationToken cancellationToken) =>
        await service.CancelAsync(id, cancellationToken) is { } job ? TypedResults.Ok(JobResponse.From(job)) : NoJob(id);

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> RetryAsync(
        string id, string owner, string name, JobService service, CancellationToken cancellationToken) =>
        Answer(await service.RetryAsync(id, $"{owner}/{name}", cancellationToken), "The run cannot be retried");

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> RetryFailedAsync(string id, JobService service, CancellationToken cancellationToken) =>
        Answer(await service.RetryFailedAsync(id, cancellationToken), "Nothing to retry");

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelRunAsync(
        string id, string owner, string name, JobService service, CancellationToken cancellationToken) =>
        Answer(await service.CancelRunAsync(id, $"{owner}/{name}", cancellationToken), "The run cannot be cancelled");

    /// <summary>The job a run change left, or why it was refused: 404 for no such job or run, else 409 titled <paramref name="conflictTitle"/>.</summary>
    internal static Results<Ok<JobResponse>, ProblemHttpResult> Answer(RetryResult result, string conflictTitle)
    {
        if (result.Job is { } job)
        {
            return TypedResults.Ok(JobResponse.From(job));
        }

        return result.IsNotFound
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Problem)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: conflictTitle, detail: result.Problem);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> PatchAsync(
        string id, string owner, string name, JobService service, CancellationToken cancellationToken)
    {
        var artifact = await service.OpenArtifactAsync(id, $"{owner}/{name}", ArtifactKind.Patch, cancellationToken);
        return artifact.Content is { } content
            ? TypedResults.File(content, "text/x-diff", $"{owner}-{name}.patch")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No patch", detail: artifact.Problem);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ThreadAsync(
        string id, string owner, string name, JobService service, CancellationToken cancellationToken)
    {
        var artifact = await service.OpenArtifactAsync(id, $"{owner}/{name}", ArtifactKind.Thread, cancellationToken);
        return artifact.Content is { } content
            ? TypedResults.File(content, "application/json")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No thread", detail: artifact.Problem);
    }

    /// <summary>402 with the sentence that names the cap.</summary>
    internal static ProblemHttpResult CapReached(Core.Access.SpendCapReachedException e) =>
        TypedResults.Problem(statusCode: StatusCodes.Status402PaymentRequired, title: "Spend cap reached", detail: e.Message);

    private static ProblemHttpResult NoJob(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no job {id}.");
}
