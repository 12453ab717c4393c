namespace CodyBatch.Jobs;

/// <summary>
/// A job as the list shows it: bounded in size whatever the job holds. The prompt and each run's
/// summary are excerpts of at most <see cref="ExcerptLength"/> characters (and "…"); the whole job is
/// <c>GET /api/jobs/{id}</c>.
/// </summary>
public sealed record JobListItem(
    string Id,
    string? Title,
    string Prompt,
    bool PromptTruncated,
    JobMode Mode,
    string Model,
    JobStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JobProgress Progress,
    JobOutcomes Outcomes,
    UsageResponse Usage,
    CampaignResponse Campaign,
    IReadOnlyList<RunListItem> Repositories,
    string? Author)
{
    /// <summary>Longest prompt or summary excerpt, in characters (before the "…").</summary>
    public const int ExcerptLength = 280;

    public static JobListItem From(Job job)
    {
        var prompt = Excerpt.Of(job.Prompt, ExcerptLength)!;
        return new(
            job.Id,
            job.Title,
            prompt,
            Excerpt.IsCut(prompt, ExcerptLength),
            job.Mode,
            job.Model,
            job.Status,
            job.CreatedAt,
            job.StartedAt,
            job.FinishedAt,
            new JobProgress(job.Runs.Count, job.Runs.Count(r => Core.Runs.RunStatusExtensions.IsFinal(r.Status))),
            JobOutcomes.From(job),
            UsageResponse.From(job.Usage),
            CampaignResponse.From(job),
            [.. job.Runs.Select(RunListItem.From)],
            job.Author);
    }
}
