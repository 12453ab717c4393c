using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Jobs;

/// <summary>A repository run as the jobs list shows it: its state and an excerpt of its summary.</summary>
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
    DateTimeOffset? FinishedAt)
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
            run.FinishedAt);
    }
}
