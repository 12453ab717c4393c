namespace CodyBatch.Jobs;

/// <summary>
/// A job as the API shows it; <c>author</c> is who created it (a key's name, <c>schedule X</c>, <c>local</c>); <c>shell</c>
/// whether its runs give Claude a shell (null for jobs from before the field: they follow the server), <c>network</c>
/// what its setup and shell may reach (<c>registries</c> or <c>none</c>); <c>budgetUsd</c> the job's dollar budget across its runs (null: none).
/// </summary>
public sealed record JobResponse(
    string Id,
    string Prompt,
    string? Title,
    JobMode Mode,
    string Model,
    int? ThinkingBudgetTokens,
    JobStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JobProgress Progress,
    JobOutcomes Outcomes,
    UsageResponse Usage,
    IReadOnlyList<RunResponse> Repositories,
    IReadOnlyList<string>? Checks,
    CampaignResponse Campaign,
    Core.Publishing.PublishSettings Publish,
    string? Author,
    bool? Shell,
    JobNetwork Network,
    decimal? BudgetUsd)
{
    public static JobResponse From(Job job) => new(
        job.Id,
        job.Prompt,
        job.Title,
        job.Mode,
        job.Model,
        job.ThinkingBudgetTokens,
        job.Status,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        new JobProgress(job.Runs.Count, job.Runs.Count(r => Core.Runs.RunStatusExtensions.IsFinal(r.Status))),
        JobOutcomes.From(job),
        UsageResponse.From(job.Usage),
        [.. job.Runs.Select(r => RunResponse.From(job.Id, r))],
        job.Checks,
        CampaignResponse.From(job),
        job.Publish,
        job.Author,
        job.Shell,
        job.Network,
        job.BudgetUsd);
}

/// <summary>How many runs a job has, and how many of them ended.</summary>
public sealed record JobProgress(int Total, int Finished);
