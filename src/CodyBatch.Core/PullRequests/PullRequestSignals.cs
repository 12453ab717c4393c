namespace CodyBatch.Core.PullRequests;

/// <summary>
/// What the checks and review of a pull request are made of: the latest commit status per context
/// and check run per name on the head commit, the latest review per reviewer, and whether
/// reviewers were requested. Kept so that one webhook event can change one of them.
/// </summary>
public sealed record PullRequestSignals
{
    /// <summary>No statuses, check runs or reviews.</summary>
    public static PullRequestSignals Empty { get; } = new();

    /// <summary>Commit status per context.</summary>
    public IReadOnlyDictionary<string, ChecksState> Statuses { get; init; } = new Dictionary<string, ChecksState>();

    /// <summary>Check run per name.</summary>
    public IReadOnlyDictionary<string, ChecksState> CheckRuns { get; init; } = new Dictionary<string, ChecksState>();

    /// <summary>Latest review per reviewer login: <c>approved</c>, <c>changes_requested</c>, <c>commented</c> or <c>dismissed</c>.</summary>
    public IReadOnlyDictionary<string, string> Reviews { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether reviewers or teams are requested.</summary>
    public bool ReviewRequested { get; init; }

    /// <summary>The check suite (its id on the host) each check run in <see cref="CheckRuns"/> belongs to, where known.</summary>
    public IReadOnlyDictionary<string, long> CheckRunSuites { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// The host's own review decision (GitHub's <c>reviewDecision</c> under branch protection: <c>APPROVED</c>,
    /// <c>CHANGES_REQUESTED</c>, <c>REVIEW_REQUIRED</c>), when it gave one; it weighs who may approve, so it wins
    /// over the reviews. A review event clears it until the next refresh.
    /// </summary>
    public string? ReviewDecision { get; init; }

    /// <summary>GitHub's combined view: any failure fails, then any pending is pending, then success; nothing reported is none.</summary>
    public ChecksState Checks
    {
        get
        {
            var all = Statuses.Values.Concat(CheckRuns.Values).ToList();
            if (all.Count == 0)
            {
                return ChecksState.None;
            }

            return all.Contains(ChecksState.Failure) ? ChecksState.Failure
                : all.Contains(ChecksState.Pending) ? ChecksState.Pending
                : ChecksState.Success;
        }
    }

    /// <summary>The review decision: changes requested wins, then approval, then a pending request.</summary>
    public ReviewState? Review =>
        ReviewDecision is "CHANGES_REQUESTED" ? ReviewState.ChangesRequested
        : ReviewDecision is "APPROVED" ? ReviewState.Approved
        : ReviewDecision is "REVIEW_REQUIRED" ? ReviewState.ReviewRequired
        : Reviews.Values.Contains("changes_requested") ? ReviewState.ChangesRequested
        : Reviews.Values.Contains("approved") ? ReviewState.Approved
        : ReviewRequested ? ReviewState.ReviewRequired
        : null;
}
