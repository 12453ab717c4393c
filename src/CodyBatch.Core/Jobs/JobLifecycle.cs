using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// The one place where jobs and runs change state. Each method returns the changed job
/// (with its status derived again) or throws <see cref="InvalidTransitionException"/>.
/// </summary>
public static partial class JobLifecycle
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
