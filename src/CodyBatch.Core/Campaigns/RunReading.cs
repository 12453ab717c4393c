using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Campaigns;

/// <summary>Copies what a campaign shows of a job's run onto the repository's row.</summary>
internal static class RunReading
{
    /// <summary>The row after its triage run: the answer and cost, and whether the fix is needed.</summary>
    public static CampaignRepository Triaged(CampaignRepository row, RepositoryRun run)
    {
        if (!run.Status.IsFinal())
        {
            return row with { TriageCostUsd = run.Usage.CostUsd };
        }

        // A failed triage has no answer: the fix runs there (NeedsFix follows the missing answer).
        var answer = run.Status == RunStatus.Succeeded && run.Triage is { } triage
            ? new TriageResult(triage.Necessary, triage.Reason, triage.Confidence)
            : null;
        var triaged = row with { Triage = answer, TriageCostUsd = run.Usage.CostUsd };
        return triaged with { Phase = triaged.NeedsFix ? RepositoryPhase.Pending : RepositoryPhase.NotNeeded };
    }

    /// <summary>The row after reading its fix run: status, cost, verification and pull request.</summary>
    public static CampaignRepository Fixed(CampaignRepository row, RepositoryRun run, DateTimeOffset now)
    {
        var pullRequest = run.PullRequest;
        var ended = pullRequest?.State is PullRequests.PullRequestState.Merged or PullRequests.PullRequestState.Closed;
        return row with
        {
            Phase = run.Status.IsFinal() ? RepositoryPhase.Done : RepositoryPhase.Running,
            RunStatus = Lower(run.Status.ToString()),
            WereChangesNecessary = run.WereChangesNecessary,
            Verification = run.Verification is { } v ? Lower(v.Status.ToString()) : null,
            CostUsd = run.Usage.CostUsd,
            PullRequestUrl = pullRequest?.Url ?? run.PullRequestUrl,
            PullRequestState = pullRequest is not null ? Lower(pullRequest.State.ToString()) : run.PullRequestUrl is not null ? "open" : null,
            // First seen on the campaign's clock (what the hourly cap counts): until then the run counted as one that may open one.
            PullRequestOpenedAt = row.PullRequestOpenedAt ?? (pullRequest is not null || run.PullRequestUrl is not null ? now : null),
            PublishHeld = run.PublishHeld && pullRequest is null && run.PullRequestUrl is null,
            Notice = run.Notice,
            PullRequestClosedAt = ended ? row.PullRequestClosedAt ?? (pullRequest!.UpdatedAt == default ? now : pullRequest.UpdatedAt) : null,
        };
    }

    private static string Lower(string text) => char.ToLowerInvariant(text[0]) + text[1..];
}
