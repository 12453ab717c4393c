namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Whether a pull request may be merged now. Never a draft, never past "changes requested", never with a conflict,
/// never past a failing or pending check or with none reported yet; every check on the head (not only the required
/// ones, which only GitHub knows) must pass. Checks still pending or a review still required: GitHub's auto-merge
/// may wait for them.
/// </summary>
public static class MergeGate
{
    /// <summary>The decision for <paramref name="pull"/> as stored.</summary>
    public static MergeDecision Decide(PullRequest pull)
    {
        if (pull.State == PullRequestState.Merged)
        {
            return new(MergeAction.None, "it is merged already");
        }

        if (pull.State == PullRequestState.Closed)
        {
            return new(MergeAction.None, "it is closed");
        }

        if (pull.Draft)
        {
            return new(MergeAction.None, "it is a draft");
        }

        if (pull.Review == ReviewState.ChangesRequested)
        {
            return new(MergeAction.None, "a reviewer requested changes");
        }

        if (pull.Mergeable == false)
        {
            return new(MergeAction.None, "it conflicts with the base branch");
        }

        if (pull.AutoMergeEnabled)
        {
            // GitHub merges it once its requirements pass; a merge of Cody Batch's own would race GitHub's.
            return new(MergeAction.None, "auto-merge is enabled; GitHub merges it once its required checks and reviews pass");
        }

        var failing = Named(pull, ChecksState.Failure);
        if (failing.Count > 0)
        {
            return new(MergeAction.None, $"checks fail on the head: {string.Join(", ", failing)}");
        }

        if (pull.Checks == ChecksState.None)
        {
            return new(MergeAction.None, "no check has reported on the head yet");
        }

        if (pull.Checks == ChecksState.Pending)
        {
            var pending = $"checks are pending: {string.Join(", ", Named(pull, ChecksState.Pending))}";
            return pull.AutoMergeUnavailable ? new(MergeAction.None, $"{pending} (the repository does not allow auto-merge, so Cody Batch merges once they pass)")
                : new(MergeAction.EnableAutoMerge, pending);
        }

        if (pull.Review == ReviewState.ReviewRequired)
        {
            return pull.AutoMergeUnavailable ? new(MergeAction.None, "a review is required")
                : new(MergeAction.EnableAutoMerge, "a review is required");
        }

        return new(MergeAction.Merge, "every check passes and the review allows it");
    }

    // A completed check suite stands for its runs (as "suite/<app>").
    private static List<string> Named(PullRequest pull, ChecksState state) =>
        [.. pull.Signals.Statuses.Concat(pull.Signals.CheckRuns).Where(x => x.Value == state)
            .Select(x => x.Key.StartsWith("suite/", StringComparison.Ordinal) ? $"{x.Key[6..]} (check suite)" : x.Key)
            .Distinct().Order(StringComparer.Ordinal)];
}
