namespace CodyBatch.Core.PullRequests;

/// <summary>
/// One thing a webhook said about pull requests of a repository: found by number or by head
/// commit; each non-null field is what changed.
/// </summary>
public sealed record PullRequestEvent
{
    /// <summary>The repository as <c>owner/name</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>The pull requests it is about, by number.</summary>
    public IReadOnlyList<int> Numbers { get; init; } = [];

    /// <summary>Or the pull requests whose head is this commit.</summary>
    public string? HeadSha { get; init; }

    /// <summary>
    /// The pull request's own <c>updated_at</c> as the payload tells it; a delivery older than what is
    /// stored is not applied (a replay or a late delivery must not move a pull request back in time).
    /// </summary>
    public DateTimeOffset? SourceUpdatedAt { get; init; }

    /// <summary>The new state.</summary>
    public PullRequestState? State { get; init; }

    /// <summary>Whether it is now a draft.</summary>
    public bool? Draft { get; init; }

    /// <summary>The new head commit (a push to the branch); statuses and check runs start over.</summary>
    public string? NewHeadSha { get; init; }

    /// <summary>Whether reviewers are requested now.</summary>
    public bool? ReviewRequested { get; init; }

    /// <summary>A commit status: its context.</summary>
    public string? StatusContext { get; init; }

    /// <summary>A check run (or a check suite, as <c>suite/&lt;app&gt;</c>): its name.</summary>
    public string? CheckName { get; init; }

    /// <summary>The check suite (its id on the host) that <see cref="CheckName"/> is, or belongs to.</summary>
    public long? CheckSuiteId { get; init; }

    /// <summary>A completed check suite: it supersedes the check runs of that suite seen before it.</summary>
    public bool SuiteCompleted { get; init; }

    /// <summary>The state of <see cref="StatusContext"/> or <see cref="CheckName"/>.</summary>
    public ChecksState? CheckState { get; init; }

    /// <summary>A review: its author.</summary>
    public string? Reviewer { get; init; }

    /// <summary>The review: <c>approved</c>, <c>changes_requested</c>, <c>commented</c> or <c>dismissed</c>.</summary>
    public string? ReviewerState { get; init; }

    /// <summary>A review or comment (or other event) that may call for a follow-up round.</summary>
    public RoundSignal? Round { get; init; }
}
