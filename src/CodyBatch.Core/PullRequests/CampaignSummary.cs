using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// A job's pull requests counted by state and checks ("3 merged · 1 open, checks failing ·
/// 1 closed"), and the burndown: how many were open, merged and closed after each change.
/// </summary>
/// <param name="CampaignId">The campaign: the first job's id, shared by its re-runs.</param>
/// <param name="Open">Open pull requests.</param>
/// <param name="OpenChecksFailing">Open ones whose checks fail.</param>
/// <param name="OpenChangesRequested">Open ones where a reviewer asked for changes.</param>
/// <param name="Merged">Merged ones.</param>
/// <param name="Closed">Closed without merging.</param>
/// <param name="Text">The counts in words; empty when there is no pull request.</param>
/// <param name="Burndown">The counts after every change, oldest first.</param>
public sealed record CampaignSummary(
    string CampaignId, int Open, int OpenChecksFailing, int OpenChangesRequested, int Merged, int Closed, string Text, IReadOnlyList<BurndownPoint> Burndown)
{
    /// <summary>The summary of <paramref name="job"/>.</summary>
    public static CampaignSummary Of(Job job)
    {
        var pulls = job.Runs.Select(r => r.PullRequest).OfType<PullRequest>().ToList();
        var open = pulls.Where(p => p.State == PullRequestState.Open).ToList();
        var failing = open.Count(p => p.Checks == ChecksState.Failure);
        var changesRequested = open.Count(p => p.Review == ReviewState.ChangesRequested);
        var merged = pulls.Count(p => p.State == PullRequestState.Merged);
        var closed = pulls.Count(p => p.State == PullRequestState.Closed);

        var parts = new List<string>();
        if (merged > 0)
        {
            parts.Add($"{merged} merged");
        }

        var passing = open.Count(p => p.Checks != ChecksState.Failure);
        if (passing > 0)
        {
            parts.Add($"{passing} open");
        }

        if (failing > 0)
        {
            parts.Add($"{failing} open, checks failing");
        }

        if (closed > 0)
        {
            parts.Add($"{closed} closed");
        }

        return new CampaignSummary(job.CampaignId ?? job.Id, open.Count, failing, changesRequested, merged, closed, string.Join(" · ", parts), BurndownOf(pulls));
    }

    private static List<BurndownPoint> BurndownOf(List<PullRequest> pulls)
    {
        var changes = pulls
            .SelectMany((pull, index) => pull.History.Select(change => (Index: index, Change: change)))
            .OrderBy(x => x.Change.At)
            .ToList();
        var states = new Dictionary<int, PullRequestState>();
        var points = new List<BurndownPoint>();
        foreach (var (index, change) in changes)
        {
            var before = states.GetValueOrDefault(index, (PullRequestState)(-1));
            states[index] = change.State;
            if (before == change.State)
            {
                continue;
            }

            var point = new BurndownPoint(
                change.At,
                states.Values.Count(s => s == PullRequestState.Open),
                states.Values.Count(s => s == PullRequestState.Merged),
                states.Values.Count(s => s == PullRequestState.Closed));
            if (points.Count > 0 && points[^1].At == change.At)
            {
                points[^1] = point;
            }
            else
            {
                points.Add(point);
            }
        }

        return points;
    }
}
