namespace CodyBatch.Jobs;

/// <summary>A repository run as the jobs list shows it: its state, an excerpt of its summary and its pull request.</summary>
public sealed record RunListItem(
    string Repository,
    RunStatus Status,
    bool? WereChangesNecessary,
    string? Summary,
    bool SummaryTruncated,
    string? PullRequestUrl,
    string? Error,
    int Attempts,
    UsageResponse Usage,
    DateTimeOffset? FinishedAt,
    PullRequestResponse? PullRequest)
{
    public static RunListItem From(RepositoryRun run)
    {
        var summary = Excerpt.Of(run.Summary, JobListItem.ExcerptLength);
        return new(
            run.Repository,
            run.Status,
            run.WereChangesNecessary,
            summary,
            Excerpt.IsCut(summary, JobListItem.ExcerptLength),
            run.PullRequestUrl,
            Excerpt.Of(run.Error, JobListItem.ExcerptLength),
            run.Attempts,
            UsageResponse.From(run.Usage),
            run.FinishedAt,
            PullRequestResponse.From(run.PullRequest));
    }
}
