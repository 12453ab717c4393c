namespace CodyBatch.Core.Runs;

/// <summary>
/// One repository's part of a job. Immutable: every change of state goes through
/// <see cref="Jobs.JobLifecycle"/>, which enforces the allowed transitions.
/// </summary>
public sealed record RepositoryRun
{
    /// <summary>The repository as <c>owner/name</c>; unique within its job.</summary>
    public required string Repository { get; init; }

    /// <summary>For a local repository, where it lives (an absolute path, optionally <c>#ref</c>); null for hosted ones.</summary>
    public string? Source { get; init; }

    /// <summary>Where the run stands.</summary>
    public RunStatus Status { get; init; } = RunStatus.Queued;

    /// <summary>Whether the agent found changes necessary; null until known.</summary>
    public bool? WereChangesNecessary { get; init; }

    /// <summary>The agent's summary (markdown).</summary>
    public string? Summary { get; init; }

    /// <summary>Artifact key of the unified-diff patch, when there is one.</summary>
    public string? PatchArtifact { get; init; }

    /// <summary>Artifact key of the message thread, when there is one.</summary>
    public string? ThreadArtifact { get; init; }

    /// <summary>
    /// The agent's finished result, stored before anything is published. While it is set, an
    /// attempt of this run (a retry, a take-over after a crash) publishes only: the agent is not
    /// run again.
    /// </summary>
    public AgentSubmission? Submission { get; init; }

    /// <summary>The pull request opened for the change, when one was.</summary>
    public string? PullRequestUrl { get; init; }

    /// <summary>The branch that holds the change, when one was pushed.</summary>
    public string? PullRequestBranch { get; init; }

    /// <summary>
    /// The change was kept as a patch, no pull request opened, because open pull requests touch its files and the job's
    /// overlap setting is hold; it can be published later like a patch-only run.
    /// </summary>
    public bool PublishHeld { get; init; }

    /// <summary>A user asked to publish this patch-only run as a pull request after it finished.</summary>
    public bool PublishRequested { get; init; }

    /// <summary>The pull request as Cody Batch follows it (for a re-run, the campaign's pull request for this repository).</summary>
    public PullRequests.PullRequest? PullRequest { get; init; }

    /// <summary>Set when the run is a follow-up round on a pull request: which one, and why.</summary>
    public PullRequests.FollowUpRound? Round { get; init; }

    /// <summary>The commit the run worked on.</summary>
    public string? CommitSha { get; init; }

    /// <summary>Why the run failed or was cancelled: a sentence a user can act on.</summary>
    public string? Error { get; init; }

    /// <summary>Something a user should know about a finished run, such as why no pull request was opened.</summary>
    public string? Notice { get; init; }

    /// <summary>What the run is doing right now when that is worth saying (waiting out a rate limit, say).</summary>
    public string? Activity { get; init; }

    /// <summary>The size of the patch, when there is one.</summary>
    public DiffStat? Changes { get; init; }

    /// <summary>How many thread entries the stored thread artifact holds (it grows while the run works).</summary>
    public int ThreadEntries { get; init; }

    /// <summary>What the repository's checks said about the change, before and after; null until known.</summary>
    public Checks.Verification? Verification { get; init; }

    /// <summary>A triage run's answer (whether the change is necessary, why, how sure); null for other runs and until it answers.</summary>
    public TriageAnswer? Triage { get; init; }

    /// <summary>Tokens and cost spent by this run (all attempts).</summary>
    public TokenUsage Usage { get; init; } = TokenUsage.Zero;

    /// <summary>How many times a worker has claimed this run.</summary>
    public int Attempts { get; init; }

    /// <summary>When the current attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the run reached a final state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The worker that owns the run while it is active.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Until when the owner's claim holds; after it, another worker may take the run over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>A user asked to cancel the run while a worker owned it.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>True when <paramref name="workerId"/> holds an unexpired lease on this run.</summary>
    public bool IsOwnedBy(string workerId, DateTimeOffset now) =>
        Status.IsActive() && LeaseOwner == workerId && LeaseExpiresAt > now;

    /// <summary>True when a worker may claim the run now.</summary>
    public bool IsClaimable(DateTimeOffset now) =>
        Status == RunStatus.Queued || (Status.IsActive() && (LeaseExpiresAt is null || LeaseExpiresAt <= now));
}
