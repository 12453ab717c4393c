using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

// What users ask of jobs and runs: cancel, retry, run again, publish later, and the pull request followed.
public static partial class JobLifecycle
{
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
            Triage = null,
            PublishHeld = false,
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
    /// model, checks, shell, network, thinking budget, dollar budget and repositories, each run knowing the campaign's pull request for its repository.
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
            BudgetUsd = source.BudgetUsd,
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
            _ when job.Mode == JobMode.Triage => $"Job {job.Id} is a triage job: it only answers whether a change is necessary and has nothing to publish.",
            _ when job.Mode != JobMode.Patch && !run.PublishHeld => $"Job {job.Id} opens pull requests already; only runs of patch-only jobs are published later.",
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
}
