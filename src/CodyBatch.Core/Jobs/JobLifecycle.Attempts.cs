using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

// A worker's moves: claiming a run, keeping its lease, moving it through its stages, ending or releasing the attempt.
public static partial class JobLifecycle
{
    /// <summary>
    /// <paramref name="workerId"/> takes the run: a queued run, or an active one whose lease expired
    /// (its owner died). A run whose cancellation was asked for is cancelled instead of claimed.
    /// Returns null when the run is not claimable.
    /// </summary>
    public static Job? TryClaim(Job job, string repository, string workerId, DateTimeOffset now, TimeSpan lease)
    {
        var run = Run(job, repository);
        if (!run.IsClaimable(now))
        {
            return null;
        }

        if (run.CancelRequested)
        {
            return Finish(job, run.Repository, run.LeaseOwner, new RunOutcome
            {
                Status = RunStatus.Cancelled,
                Error = "Cancelled by a user.",
                PatchArtifact = run.PatchArtifact,
                ThreadArtifact = run.ThreadArtifact,
            }, now, requireLease: false);
        }

        var claimed = Move(run, RunStatus.Fetching) with
        {
            LeaseOwner = workerId,
            LeaseExpiresAt = now + lease,
            Attempts = run.Attempts + 1,
            StartedAt = now,
            FinishedAt = null,
            Error = null,
            Activity = null,
            ThreadEntries = run.Submission is null ? 0 : run.ThreadEntries,
        };
        return Replace(job, claimed, now);
    }

    /// <summary>What a lease renewal found.</summary>
    public enum RenewResult
    {
        /// <summary>The lease was extended.</summary>
        Renewed,
        /// <summary>The lease was extended, and a user asked to cancel the run.</summary>
        CancelRequested,
        /// <summary>The worker no longer owns the run.</summary>
        Lost,
    }

    /// <summary>
    /// Extends <paramref name="workerId"/>'s lease and records the usage so far and, when
    /// <paramref name="live"/> is given, what the run is doing now and how much of its thread is stored.
    /// </summary>
    public static (Job Job, RenewResult Result) Renew(
        Job job, string repository, string workerId, DateTimeOffset now, TimeSpan lease, TokenUsage? usageSoFar = null, LiveState? live = null)
    {
        var run = Run(job, repository);
        if (!run.Status.IsActive() || run.LeaseOwner != workerId)
        {
            return (job, RenewResult.Lost);
        }

        var renewed = run with { LeaseExpiresAt = now + lease, Usage = usageSoFar ?? run.Usage };
        if (live is not null)
        {
            renewed = renewed with
            {
                Activity = live.Activity,
                ThreadArtifact = live.ThreadArtifact ?? run.ThreadArtifact,
                ThreadEntries = live.ThreadArtifact is null ? run.ThreadEntries : live.ThreadEntries,
            };
        }

        return (Replace(job, renewed, now), run.CancelRequested ? RenewResult.CancelRequested : RenewResult.Renewed);
    }

    /// <summary>Moves an owned run to its next stage (analyzing, publishing).</summary>
    public static Job Advance(Job job, string repository, string workerId, RunStatus stage, DateTimeOffset now)
    {
        var run = Owned(job, repository, workerId);
        return Replace(job, Move(run, stage) with { Activity = null }, now);
    }

    /// <summary>
    /// Stores the agent's finished work on an owned run and moves it to publishing: the result,
    /// the patch and thread artifacts, the commit it applies to, and what the run has spent. From
    /// here on no attempt of the run calls the agent again.
    /// </summary>
    public static Job Submit(
        Job job, string repository, string workerId, bool wereChangesNecessary, string summary, AgentSubmission submission,
        string? patchArtifact, string? threadArtifact, TokenUsage usageSoFar, DateTimeOffset now, Checks.Verification? verification = null)
    {
        var run = Owned(job, repository, workerId);
        var submitted = Move(run, RunStatus.Publishing) with
        {
            WereChangesNecessary = wereChangesNecessary,
            Summary = summary,
            Submission = submission,
            Verification = verification,
            PatchArtifact = patchArtifact,
            ThreadArtifact = threadArtifact,
            CommitSha = submission.BaseCommitSha,
            Usage = usageSoFar,
            Activity = null,
        };
        return Replace(job, submitted, now);
    }

    /// <summary>Shows what an owned run is doing right now (null clears it); its status stays.</summary>
    public static Job ShowActivity(Job job, string repository, string workerId, string? activity, DateTimeOffset now)
    {
        var run = Owned(job, repository, workerId);
        return Replace(job, run with { Activity = activity }, now);
    }

    /// <summary>Ends an attempt with <paramref name="outcome"/>. The worker must own the run.</summary>
    public static Job Finish(Job job, string repository, string? workerId, RunOutcome outcome, DateTimeOffset now) =>
        Finish(job, repository, workerId, outcome, now, requireLease: true);

    /// <summary>Gives an owned run back to the queue (the worker is shutting down), keeping what it spent.</summary>
    public static Job Release(Job job, string repository, string workerId, DateTimeOffset now, TokenUsage? usageSoFar = null)
    {
        var run = Owned(job, repository, workerId);
        var released = Move(run, RunStatus.Queued) with
        {
            LeaseOwner = null,
            LeaseExpiresAt = null,
            StartedAt = null,
            Activity = null,
            Usage = usageSoFar ?? run.Usage,
        };
        return Replace(job, released, now);
    }

    private static Job Finish(Job job, string repository, string? workerId, RunOutcome outcome, DateTimeOffset now, bool requireLease)
    {
        if (!outcome.Status.IsFinal())
        {
            throw new ArgumentException($"A run ends as succeeded, incomplete, failed or cancelled, not {outcome.Status}.", nameof(outcome));
        }

        var run = requireLease ? Owned(job, repository, workerId!) : Run(job, repository);

        // The agent's stored result stays visible whatever happens after it (a publish failure, a cancel).
        var kept = run.Submission is not null;
        var finished = Move(run, outcome.Status) with
        {
            WereChangesNecessary = outcome.WereChangesNecessary ?? (kept ? run.WereChangesNecessary : null),
            Summary = outcome.Summary ?? (kept ? run.Summary : null),
            Notice = outcome.Notice,
            Verification = outcome.Verification ?? (kept ? run.Verification : null),
            Triage = outcome.Triage,
            PublishHeld = outcome.Held,
            Activity = null,
            PatchArtifact = outcome.PatchArtifact ?? (kept ? run.PatchArtifact : null),
            ThreadArtifact = outcome.ThreadArtifact ?? (kept ? run.ThreadArtifact : null),
            ThreadEntries = outcome.ThreadEntries ?? (outcome.ThreadArtifact is null && !kept ? 0 : run.ThreadEntries),
            Changes = outcome.Changes,
            PullRequestUrl = outcome.PullRequestUrl,
            PullRequestBranch = outcome.PullRequestBranch,
            // What the shepherd decided while the run worked (its own comments, a review) is kept: the stored state is newer.
            PullRequest = outcome.PullRequest is { } pull && run.PullRequest is { } stored && stored.Number == pull.Number
                ? pull with { Shepherd = stored.Shepherd }
                : outcome.PullRequest ?? run.PullRequest,
            CommitSha = outcome.CommitSha ?? run.CommitSha,
            Error = outcome.Error,
            Usage = outcome.Usage,
            FinishedAt = now,
            LeaseOwner = null,
            LeaseExpiresAt = null,
            CancelRequested = false,
        };
        return Replace(job, finished, now);
    }
}
