using CodyBatch.Security;

namespace CodyBatch.PullRequests;

/// <summary>A job as a campaign: re-run it, refresh its pull requests, close them, delete their branches.</summary>
internal static class PullRequestEndpoints
{
    public static IEndpointRouteBuilder MapPullRequests(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Campaigns");
        jobs.MapPost("/{id}/rerun", RerunAsync)
            .WithName("RerunJob").WithSummary("A new job in the same campaign with the same prompt, repositories and mode; its runs update the campaign's branches and open pull requests.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status402PaymentRequired)
            .StartsJobs();
        jobs.MapPost("/{id}/refresh", RefreshAsync)
            .WithName("RefreshPullRequests").WithSummary("Read the job's open pull requests from GitHub now (state, checks, review).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/pull-requests/close", CloseAsync)
            .WithName("ClosePullRequests").WithSummary("Close every open pull request of the job, with a comment; the optional JSON body { \"comment\": \"...\" } replaces CodyBatch:PullRequests:CloseComment.")
            // Documented only: Accepts metadata would make routing refuse the request that sends no body at all.
            .AddOpenApiOperationTransformer(async (operation, context, ct) => operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = false,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(ClosePullRequestsRequest), null, ct) },
                },
            })
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/pull-requests/delete-branches", DeleteBranchesAsync)
            .WithName("DeletePullRequestBranches").WithSummary("Delete the branches of the job's closed and merged pull requests.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/repositories/{owner}/{name}/publish", PublishAsync)
            .WithName("PublishRun").WithSummary("Publish a patch-only run's patch as a pull request now (the agent does not run again).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id}/pull-requests/merge", MergeJobAsync)
            .WithName("MergeGreenPullRequests").WithSummary("Merge all green: merge every open pull request of the job whose checks pass and whose review allows it, with the job's merge method (or enable GitHub's auto-merge where checks are pending and the repository allows it); each other one says why not.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGroup("/api/campaigns").WithTags("Campaigns")
            .MapPost("/{id}/pull-requests/merge", MergeCampaignAsync)
            .WithName("MergeGreenCampaignPullRequests").WithSummary("Merge all green across the campaign's jobs: each open pull request once, from its newest job.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<MergeResponse>, ProblemHttpResult>> MergeJobAsync(string id, PullRequestMerger merger, CancellationToken cancellationToken) =>
        await merger.MergeJobAsync(id, cancellationToken) is { } outcomes ? TypedResults.Ok(MergeResponse.From(outcomes)) : NoJob(id);

    private static async Task<Results<Ok<MergeResponse>, ProblemHttpResult>> MergeCampaignAsync(
        string id, PullRequestMerger merger, IJobStore store, CancellationToken cancellationToken)
    {
        // A campaign's id is its first job's.
        if (!JobId.IsValid(id) || await store.GetAsync(id, cancellationToken) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no campaign {id}.");
        }

        return TypedResults.Ok(MergeResponse.From(await merger.MergeCampaignAsync(id, cancellationToken)));
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> PublishAsync(
        string id, string owner, string name, JobService service, CancellationToken cancellationToken) =>
        JobEndpoints.Answer(await service.PublishAsync(id, $"{owner}/{name}", cancellationToken), "The run cannot be published");

    private static async Task<Results<Created<JobResponse>, ProblemHttpResult>> RerunAsync(string id, JobService service, CancellationToken cancellationToken)
    {
        try
        {
            return await service.RerunAsync(id, cancellationToken) is { } job
                ? TypedResults.Created($"/api/jobs/{job.Id}", JobResponse.From(job))
                : NoJob(id);
        }
        catch (Core.Access.SpendCapReachedException e)
        {
            return JobEndpoints.CapReached(e);
        }
    }

    private static async Task<Results<Ok<PullRequestActionResponse>, ProblemHttpResult>> RefreshAsync(string id, PullRequestTracker tracker, CancellationToken cancellationToken) =>
        Respond(id, await tracker.RefreshJobAsync(id, cancellationToken));

    private static async Task<Results<Ok<PullRequestActionResponse>, ProblemHttpResult, ValidationProblem>> CloseAsync(
        string id, HttpRequest http, PullRequestTracker tracker, IOptions<PullRequestOptions> options, CancellationToken cancellationToken)
    {
        // The body is optional: without one, the configured comment is left.
        ClosePullRequestsRequest? request = null;
        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                request = await http.ReadFromJsonAsync<ClosePullRequestsRequest>(cancellationToken);
            }
            catch (System.Text.Json.JsonException e)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["body"] = [$"The body is not {{ \"comment\": \"...\" }} as JSON ({e.Message})."] }, title: "The request has problems");
            }
        }

        var comment = string.IsNullOrWhiteSpace(request?.Comment) ? options.Value.CloseComment : request.Comment.Trim();
        if (comment.Length > 65_536)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["comment"] = ["comment is longer than GitHub's 65,536 characters."] }, title: "The request has problems");
        }

        return await tracker.CloseAllAsync(id, comment, cancellationToken) is { } result
            ? TypedResults.Ok(new PullRequestActionResponse(JobResponse.From(result.Job), result.Acted, result.Problems))
            : NoJob(id);
    }

    private static async Task<Results<Ok<PullRequestActionResponse>, ProblemHttpResult>> DeleteBranchesAsync(string id, PullRequestTracker tracker, CancellationToken cancellationToken) =>
        Respond(id, await tracker.DeleteBranchesAsync(id, cancellationToken));

    private static Results<Ok<PullRequestActionResponse>, ProblemHttpResult> Respond(string id, PullRequestActionResult? result) =>
        result is null
            ? NoJob(id)
            : TypedResults.Ok(new PullRequestActionResponse(JobResponse.From(result.Job), result.Acted, result.Problems));

    private static ProblemHttpResult NoJob(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no job {id}.");
}
