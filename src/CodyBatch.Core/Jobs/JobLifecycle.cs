using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// The one place where jobs and runs change state. Each method returns the changed job
/// (with its status derived again) or throws <see cref="InvalidTransitionException"/>.
/// </summary>
public static class JobLifecycle
{
    private static readonly Dictionary<RunStatus, RunStatus[]> Allowed = new()
    {
        // Queued → Fetching is a claim; active → Fetching is a take-over after a lease expired;
        // active → Queued is a release on shutdown; final → Queued is a retry; Fetching → Publishing
        // is an attempt that resumes at publishing (the agent's result is already stored).
        [RunStatus.Queued] = [RunStatus.Fetching, RunStatus.Cancelled],
        [RunStatus.Fetching] = [RunStatus.Fetching, RunStatus.Analyzing, RunStatus.Publishing, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Queued],
        [RunStatus.Analyzing] = [RunStatus.Fetching, RunStatus.Publishing, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Queued],
        [RunStatus.Publishing] = [RunStatus.Fetching, RunStatus.Succeeded, RunStatus.Incomplete, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Queued],
        [RunStatus.Succeeded] = [],
        [RunStatus.Failed] = [RunStatus.Queued],
        [RunStatus.Cancelled] = [RunStatus.Queued],
        [RunStatus.Incomplete] = [RunStatus.Queued],
    };

    /// <summary>True when a run may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(RunStatus from, RunStatus to) => Allowed[from].Contains(to);

    /// <summary>A new job with one queued run per hosted repository (<c>owner/name</c>).</summary>
    public static Job Create(
        string prompt, string? title, JobMode mode, string model, IEnumerable<string> repositories, DateTimeOffset now) =>
        Create(prompt, title, mode, model, repositories.Select(r => new RequestedRepository(r)), now);

    /// <summary>A new job with one queued run per repository.</summary>
    public static Job Create(
        string prompt, string? title, JobMode mode, string model, IEnumerable<RequestedRepository> repositories, DateTimeOffset now) => new()
        {
            Id = JobId.New(now),
            Prompt = prompt,
            Title = title,
            Mode = mode,
            Model = model,
            CreatedAt = now,
            Runs = [.. repositories.Select(r => new RepositoryRun { Repository = r.Name, Source = r.Source })],
        };

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

    /// <summary>
    /// Cancels what has not finished: queued runs at once, active runs by asking their worker
    /// (they end as cancelled when it notices, or when their lease runs out).
    /// </summary>
    public static Job Cancel(Job job, DateTimeOffset now)
    {
        var runs = job.Runs.Select(run => run.Status switch
        {
            RunStatus.Queued => Move(run, RunStatus.Cancelled) with { Error = "Cancelled by a user.", FinishedAt = now },
            _ when run.Status.IsActive() => run with { CancelRequested = true },
            _ => run,
        });
        return Derive(job with { Runs = [.. runs] }, now);
    }

    /// <summary>
    /// Cancels one run: a queued run at once, an active one by asking its worker. Throws
    /// <see cref="InvalidTransitionException"/> when the run has ended already.
    /// </summary>
    public static Job CancelRun(Job job, string repository, DateTimeOffset now)
    {
        var run = Run(job, repository);
        var cancelled = run.Status switch
        {
            RunStatus.Queued => Move(run, RunStatus.Cancelled) with { Error = "Cancelled by a user.", FinishedAt = now },
            _ when run.Status.IsActive() => run with { CancelRequested = true },
            _ => throw new InvalidTransitionException(run.Repository, run.Status, RunStatus.Cancelled),
        };
        return Replace(job, cancelled, now);
    }

    /// <summary>
    /// Queues a failed, cancelled or incomplete run again; its usage so far is kept. A run whose agent result is
    /// stored keeps it with its patch and thread, so the retry publishes only.
    /// </summary>
    public static Job Retry(Job job, string repository, DateTimeOffset now)
    {
        var run = Run(job, repository);
        if (!run.Status.IsRetryable())
        {
            throw new InvalidTransitionException(run.Repository, run.Status, RunStatus.Queued);
        }

        // An incomplete run was published as far as it got: retrying it runs the agent again.
        var resumes = run.Submission is not null && run.Status != RunStatus.Incomplete;
        var queued = Move(run, RunStatus.Queued) with
        {
            WereChangesNecessary = resumes ? run.WereChangesNecessary : null,
            Summary = resumes ? run.Summary : null,
            Notice = null,
            Verification = resumes ? run.Verification : null,
            Activity = null,
            PatchArtifact = resumes ? run.PatchArtifact : null,
            ThreadArtifact = resumes ? run.ThreadArtifact : null,
            ThreadEntries = resumes ? run.ThreadEntries : 0,
            Changes = null,
            Submission = resumes ? run.Submission : null,
            PullRequestUrl = null,
            PullRequestBranch = null,
            Error = null,
            StartedAt = null,
            FinishedAt = null,
            LeaseOwner = null,
            LeaseExpiresAt = null,
            CancelRequested = false,
        };
        return Replace(job, queued, now);
    }

    /// <summary>
    /// A new job in the same campaign as <paramref name="source"/>: the same prompt, title, mode,
    /// model, checks, shell, network, thinking budget and repositories, each run knowing the campaign's pull request for its repository.
    /// </summary>
    public static Job Rerun(Job source, DateTimeOffset now)
    {
        var job = Create(source.Prompt, source.Title, source.Mode, source.Model, source.Runs.Select(r => new RequestedRepository(r.Repository, r.Source)), now);
        return job with
        {
            CampaignId = source.CampaignId ?? source.Id,
            Checks = source.Checks,
            Shell = source.Shell,
            Network = source.Network,
            ThinkingBudgetTokens = source.ThinkingBudgetTokens,
            Publish = source.Publish,
            Runs = [.. job.Runs.Select(run => run with { PullRequest = source.FindRun(run.Repository)?.PullRequest })],
        };
    }

    /// <summary>
    /// Queues a finished patch-only run again to publish its stored patch as a pull request: the
    /// attempt resumes at publishing, so the agent does not run again. Null, with the reason, when
    /// the run cannot be published.
    /// </summary>
    public static (Job? Job, string? Problem) RequestPublish(Job job, string repository, DateTimeOffset now)
    {
        var run = Run(job, repository);
        var problem = run switch
        {
            _ when job.Mode != JobMode.Patch => $"Job {job.Id} opens pull requests already; only runs of patch-only jobs are published later.",
            { PullRequest: not null } => $"The run for {run.Repository} has a pull request already.",
            { Status: not RunStatus.Succeeded } => $"The run for {run.Repository} is {run.Status.ToString().ToLowerInvariant()}; only a succeeded run is published.",
            { Submission: null } or { PatchArtifact: null } => $"The run for {run.Repository} made no change to publish.",
            _ => null,
        };
        if (problem is not null)
        {
            return (null, problem);
        }

        // Not a retry of the run: its result stays, and only publishing happens again.
        var queued = run with
        {
            Status = RunStatus.Queued,
            PublishRequested = true,
            Notice = null,
            Error = null,
            Activity = null,
            StartedAt = null,
            FinishedAt = null,
            LeaseOwner = null,
            LeaseExpiresAt = null,
            CancelRequested = false,
        };
        return (Replace(job, queued, now), null);
    }

    /// <summary>Replaces a run's followed pull request; the run's status stays.</summary>
    public static Job SetPullRequest(Job job, string repository, PullRequests.PullRequest pullRequest, DateTimeOffset now)
    {
        var run = Run(job, repository);
        return Replace(job, run with { PullRequest = pullRequest, PullRequestUrl = run.PullRequestUrl ?? pullRequest.Url, PullRequestBranch = run.PullRequestBranch ?? pullRequest.Branch }, now);
    }

    /// <summary>
    /// The job status that its runs imply. Once every run ended: completed when any run succeeded or
    /// ended incomplete with its work kept (the outcome counts tell whether others failed), otherwise cancelled when any run was
    /// cancelled, otherwise failed. So a retried run that succeeds makes its job completed.
    /// </summary>
    public static JobStatus DeriveStatus(IReadOnlyList<RepositoryRun> runs)
    {
        if (runs.All(r => r.Status.IsFinal()))
        {
            if (runs.Any(r => r.Status is RunStatus.Succeeded or RunStatus.Incomplete))
            {
                return JobStatus.Completed;
            }

            return runs.Any(r => r.Status == RunStatus.Cancelled) ? JobStatus.Cancelled : JobStatus.Failed;
        }

        return runs.All(r => r.Status == RunStatus.Queued && r.Attempts == 0) ? JobStatus.Queued : JobStatus.Running;
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
            Activity = null,
            PatchArtifact = outcome.PatchArtifact ?? (kept ? run.PatchArtifact : null),
            ThreadArtifact = outcome.ThreadArtifact ?? (kept ? run.ThreadArtifact : null),
            ThreadEntries = outcome.ThreadEntries ?? (outcome.ThreadArtifact is null && !kept ? 0 : run.ThreadEntries),
            Changes = outcome.Changes,
            PullRequestUrl = outcome.PullRequestUrl,
            PullRequestBranch = outcome.PullRequestBranch,
            PullRequest = outcome.PullRequest ?? run.PullRequest,
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

    private static RepositoryRun Run(Job job, string repository) =>
        job.FindRun(repository) ?? throw new KeyNotFoundException($"Job {job.Id} has no run for {repository}.");

    private static RepositoryRun Owned(Job job, string repository, string workerId)
    {
        var run = Run(job, repository);
        if (!run.Status.IsActive() || run.LeaseOwner != workerId)
        {
            throw new LeaseLostException(job.Id, run.Repository);
        }

        return run;
    }

    private static RepositoryRun Move(RepositoryRun run, RunStatus to) =>
        CanMove(run.Status, to) ? run with { Status = to } : throw new InvalidTransitionException(run.Repository, run.Status, to);

    private static Job Replace(Job job, RepositoryRun run, DateTimeOffset now)
    {
        var runs = job.Runs.Select(r => r.Repository == run.Repository ? run : r).ToArray();
        return Derive(job with { Runs = runs }, now);
    }

    private static Job Derive(Job job, DateTimeOffset now)
    {
        var status = DeriveStatus(job.Runs);
        var final = status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
        return job with
        {
            Status = status,
            StartedAt = job.StartedAt ?? (job.Runs.Any(r => r.Attempts > 0) ? now : null),
            FinishedAt = final ? job.FinishedAt ?? now : null,
        };
    }
}
