namespace CodyBatch.Core.PullRequests;

/// <summary>
/// A run's pull request as Cody Batch follows it until it is merged or closed: kept current by
/// webhooks and conditional refreshes, every change of state, checks or review in
/// <see cref="History"/>.
/// </summary>
public sealed record PullRequest
{
    /// <summary>The most changes kept in <see cref="History"/>; older ones are dropped first.</summary>
    public const int MaxHistory = 100;

    /// <summary>Where people open it.</summary>
    public required string Url { get; init; }

    /// <summary>Its number in the repository.</summary>
    public required int Number { get; init; }

    /// <summary>The branch that holds the change.</summary>
    public required string Branch { get; init; }

    /// <summary>Open, closed or merged.</summary>
    public PullRequestState State { get; init; } = PullRequestState.Open;

    /// <summary>Whether it is a draft.</summary>
    public bool Draft { get; init; }

    /// <summary>The head commit.</summary>
    public string? HeadSha { get; init; }

    /// <summary>False when GitHub reports a conflict with the base branch, true when it merges cleanly, null while unknown.</summary>
    public bool? Mergeable { get; init; }

    /// <summary>The combined checks of the head commit.</summary>
    public ChecksState Checks { get; init; } = ChecksState.None;

    /// <summary>The review decision, null when nobody reviewed or was asked to.</summary>
    public ReviewState? Review { get; init; }

    /// <summary>When Cody Batch last saw it change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The host's own <c>updated_at</c> of the newest state applied (from a webhook or a refresh); null before one was seen.</summary>
    public DateTimeOffset? SourceUpdatedAt { get; init; }

    /// <summary>Whether Cody Batch deleted its branch after it was closed or merged.</summary>
    public bool BranchDeleted { get; init; }

    /// <summary>SHA-256 of the patch this pull request holds, so a re-run with the same result pushes nothing.</summary>
    public string? PatchDigest { get; init; }

    /// <summary>What checks and review are made of.</summary>
    public PullRequestSignals Signals { get; init; } = PullRequestSignals.Empty;

    /// <summary>The host's entity tags per resource read, sent back as <c>If-None-Match</c> on the next refresh.</summary>
    public IReadOnlyDictionary<string, string> Validators { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether Cody Batch enabled GitHub's auto-merge on it (GitHub then merges once its requirements pass).</summary>
    public bool AutoMergeEnabled { get; init; }

    /// <summary>Whether the host said the repository does not allow auto-merge (so Cody Batch merges itself once checks pass).</summary>
    public bool AutoMergeUnavailable { get; init; }

    /// <summary>What Cody Batch last did or decided about merging it, in a sentence ("Not merged: a reviewer requested changes.").</summary>
    public string? MergeNote { get; init; }

    /// <summary>The follow-up rounds: how many ran, whether a person is needed, and every decision with its reason.</summary>
    public ShepherdState Shepherd { get; init; } = ShepherdState.Empty;

    /// <summary>Every change of state, checks or review, oldest first.</summary>
    public IReadOnlyList<PullRequestChange> History { get; init; } = [];
}
