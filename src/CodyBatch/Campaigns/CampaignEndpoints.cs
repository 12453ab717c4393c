using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>The <c>/api/campaigns</c> routes of fleet campaigns (the merge route beside them is the pull requests feature's).</summary>
internal static class CampaignEndpoints
{
    public static IEndpointRouteBuilder MapCampaigns(this IEndpointRouteBuilder routes)
    {
        var campaigns = routes.MapGroup("/api/campaigns").WithTags("Campaigns");
        campaigns.MapPost("/preview", PreviewAsync)
            .WithName("PreviewCampaign").WithSummary("Resolve a campaign request's selection and check its settings without storing anything.")
            .ProducesValidationProblem();
        campaigns.MapPost("/", CreateAsync)
            .WithName("CreateCampaign").WithSummary("Create a fleet campaign: its selection is resolved and shown (the preview); nothing runs until it is approved.")
            .ProducesValidationProblem();
        campaigns.MapGet("/", ListAsync)
            .WithName("ListCampaigns").WithSummary("Fleet campaigns, newest first.");
        campaigns.MapGet("/{id}", GetAsync)
            .WithName("GetCampaign").WithSummary("A fleet campaign: the repositories table, counts, spent vs forecast vs budget, cost per merged pull request, pacing, burndown. Carries an ETag: with If-None-Match naming it, 304 while nothing changed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapPost("/{id}/approve", ApproveAsync)
            .WithName("ApproveCampaign").WithSummary("Approve the preview (triage or the canary starts) or, after the canary, the fan-out.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id}/pause", PauseAsync)
            .WithName("PauseCampaign").WithSummary("Pause: no new job starts; running jobs finish.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id}/resume", ResumeAsync)
            .WithName("ResumeCampaign").WithSummary("Resume a paused campaign.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id}/cancel", CancelAsync)
            .WithName("CancelCampaign").WithSummary("Cancel: no new job starts, the campaign's running jobs are cancelled, repositories not started are skipped.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id}/repositories/{owner}/{name}/triage", OverrideTriageAsync)
            .WithName("OverrideCampaignTriage").WithSummary("Override triage's answer for one repository: necessary true runs the fix, false skips it, null follows triage again.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Ok<CampaignPreviewResponse>, ValidationProblem>> PreviewAsync(
        CampaignRequest request, CampaignService service, CancellationToken cancellationToken)
    {
        var validation = await service.PreviewAsync(request, cancellationToken);
        return validation.Spec is null ? Invalid(validation) : TypedResults.Ok(CampaignPreviewResponse.From(validation));
    }

    private static async Task<Results<Created<FleetCampaignCreated>, ValidationProblem>> CreateAsync(
        CampaignRequest request, CampaignService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var (campaign, validation) = await service.CreateAsync(request, cancellationToken);
        if (campaign is null)
        {
            return Invalid(validation);
        }

        var found = await service.GetAsync(campaign.Id, cancellationToken);
        return TypedResults.Created(
            $"/api/campaigns/{campaign.Id}",
            new FleetCampaignCreated(FleetCampaignResponse.From(campaign, found?.Repositories ?? [], time.GetUtcNow()), CampaignPreviewResponse.From(validation)));
    }

    private static async Task<Ok<IReadOnlyList<FleetCampaignListItem>>> ListAsync(CampaignService service, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<FleetCampaignListItem>>([.. (await service.ListAsync(cancellationToken)).Select(FleetCampaignListItem.From)]);

    private static async Task<Results<CampaignPageResult, ProblemHttpResult>> GetAsync(string id, CampaignPages pages, CancellationToken cancellationToken) =>
        await pages.GetAsync(id, cancellationToken) is { } page
            ? new CampaignPageResult(page)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no campaign {id}.");

    private static Task<Results<Ok<FleetCampaignResponse>, ProblemHttpResult>> ApproveAsync(
        string id, CampaignService service, CampaignPages pages, TimeProvider time, CancellationToken cancellationToken) =>
        ActAsync(id, service.ApproveAsync(id, cancellationToken), service, pages, time, "The campaign cannot be approved", cancellationToken);

    private static Task<Results<Ok<FleetCampaignResponse>, ProblemHttpResult>> PauseAsync(
        string id, CampaignService service, CampaignPages pages, TimeProvider time, CancellationToken cancellationToken) =>
        ActAsync(id, service.PauseAsync(id, cancellationToken), service, pages, time, "The campaign cannot be paused", cancellationToken);

    private static Task<Results<Ok<FleetCampaignResponse>, ProblemHttpResult>> ResumeAsync(
        string id, CampaignService service, CampaignPages pages, TimeProvider time, CancellationToken cancellationToken) =>
        ActAsync(id, service.ResumeAsync(id, cancellationToken), service, pages, time, "The campaign cannot be resumed", cancellationToken);

    private static Task<Results<Ok<FleetCampaignResponse>, ProblemHttpResult>> CancelAsync(
        string id, CampaignService service, CampaignPages pages, TimeProvider time, CancellationToken cancellationToken) =>
        ActAsync(id, service.CancelAsync(id, cancellationToken), service, pages, time, "The campaign cannot be cancelled", cancellationToken);

    private static async Task<Results<Ok<FleetCampaignResponse>, ProblemHttpResult>> OverrideTriageAsync(
        string id, string owner, string name, TriageOverrideRequest request, CampaignService service, CampaignPages pages, TimeProvider time, CancellationToken cancellationToken) =>
        await ActAsync(id, service.OverrideTriageAsync(id, $"{owner}/{name}", request.Necessary, cancellationToken), service, pages, time, "Triage cannot be overridden", cancellationToken);

    // The kept page is forgotten after a user's action, so the page shows it at once even while a step runs.
    private static async Task<Results<Ok<FleetCampaignResponse>, ProblemHttpResult>> ActAsync(
        string id, Task<CampaignResult> action, CampaignService service, CampaignPages pages, TimeProvider time, string title, CancellationToken cancellationToken)
    {
        var result = await action;
        pages.Forget(id);
        if (result.Campaign is { } campaign && await service.GetAsync(campaign.Id, cancellationToken) is { } found)
        {
            return TypedResults.Ok(FleetCampaignResponse.From(found.Campaign, found.Repositories, time.GetUtcNow()));
        }

        return result.IsNotFound
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Problem)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: result.Problem);
    }

    private static ValidationProblem Invalid(CampaignValidation validation) =>
        TypedResults.ValidationProblem(validation.Errors, title: "The campaign request has problems", detail: "Fix the fields listed in errors and submit again.");
}
