using CodyBatch.Core.Access;
using CodyBatch.Core.Artifacts;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

/// <summary>What the API and the CLI do with jobs: create, read, list, cancel, retry, download.</summary>
public sealed class JobService(
    IJobStore store,
    IArtifactStore artifacts,
    JobRequestValidator validator,
    WorkSignal signal,
    RunCancellations cancellations,
    JobEndingWrites endings,
    TimeProvider time,
    SpendService? spend = null)
{
    /// <summary>
    /// Validates and stores a new job, and wakes the workers. Throws <see cref="SpendCapReachedException"/> when
    /// the caller's or the server's monthly spend cap is reached. <paramref name="campaignId"/> puts the job in a
    /// fleet campaign (its branches and pull requests are the campaign's). <paramref name="jobId"/> fixes the new job's
    /// id (a campaign records it before the job exists): when a job with that id exists already, it is returned as it is
    /// (neither validation nor the spend caps refuse it) and nothing is created, so a creation repeated after a crash
    /// starts nothing twice.
    /// </summary>
    public async Task<(Job? Job, ValidationResult Validation)> CreateAsync(JobRequest request, CancellationToken cancellationToken, string? campaignId = null, string? jobId = null)
    {
        if (jobId is not null && await store.GetAsync(jobId, cancellationToken) is { } existing)
        {
            // Started already, under whatever the settings were then.
            return (existing, validator.Validate(request));
        }

        var validation = validator.Validate(request);
        if (validation.Request is not { } valid)
        {
            return (null, validation);
        }

        await (spend?.EnsureUnderCapsAsync(CallerContext.Current, cancellationToken) ?? Task.CompletedTask);

        var job = JobLifecycle.Create(valid.Prompt, valid.Title, valid.Mode, valid.Model, valid.Repositories, time.GetUtcNow())
            with
            {
                CampaignId = campaignId, ThinkingBudgetTokens = valid.ThinkingBudgetTokens, Checks = valid.Checks, Shell = valid.Shell, Network = valid.Network, BudgetUsd = valid.BudgetUsd, Publish = valid.Publish ?? Publishing.PublishSettings.Default,
                Author = CallerContext.Current.Name, AuthorKeyId = CallerContext.Current.KeyId,
            };
        job = jobId is null ? job : job with { Id = jobId };
        try
        {
            await store.CreateAsync(job, cancellationToken);
        }
        catch (Exception) when (jobId is not null && !cancellationToken.IsCancellationRequested)
        {
            if (await store.GetAsync(jobId, CancellationToken.None) is { } created)
            {
                // Another process created it first: that is the job.
                return (created, validation);
            }

            throw;
        }

        signal.Notify();
        return (job, validation);
    }

    /// <summary>The job, or null.</summary>
    public Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken) =>
        JobId.IsValid(jobId) ? store.GetAsync(jobId, cancellationToken) : Task.FromResult<Job?>(null);

    /// <summary>A page of jobs, newest first.</summary>
    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken) => store.ListAsync(query, cancellationToken);

    /// <summary>Cancels what has not finished; runs in this process stop at once. Null when the job does not exist.</summary>
    public async Task<Job?> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!JobId.IsValid(jobId))
        {
            return null;
        }

        // A job whose runs were all still queued ends here rather than in a worker, and says so.
        var job = await endings.UpdateAsync(
            jobId,
            job => job.Runs.Any(r => r.Status == RunStatus.Queued || (r.Status.IsActive() && !r.CancelRequested))
                ? JobLifecycle.Cancel(job, time.GetUtcNow())
                : null,
            cancellationToken);
        foreach (var run in job?.Runs.Where(r => r.CancelRequested) ?? [])
        {
            cancellations.Cancel(new RunRef(job!.Id, run.Repository));
        }

        return job;
    }

    /// <summary>
    /// Cancels one run: a queued one at once, a running one promptly (it keeps its thread). Not
    /// found when the job or run does not exist; a conflict when the run has ended already.
    /// </summary>
    public async Task<RetryResult> CancelRunAsync(string jobId, string repository, CancellationToken cancellationToken)
    {
        var result = await UpdateRunAsync(
            jobId,
            repository,
            (job, run) => run switch
            {
                { Status: var status } when status.IsFinal() => (null, $"The run for {run.Repository} has {status.ToString().ToLowerInvariant()} already; there is nothing to cancel."),
                { CancelRequested: true } when run.Status.IsActive() => (null, null),
                _ => (JobLifecycle.CancelRun(job, repository, time.GetUtcNow()), null),
            },
            cancellationToken);
        if (result.Job?.FindRun(repository) is { CancelRequested: true } cancelled)
        {
            cancellations.Cancel(new RunRef(result.Job.Id, cancelled.Repository));
        }

        return result;
    }

    /// <summary>Queues every failed run of the job again; a conflict when none failed.</summary>
    public async Task<RetryResult> RetryFailedAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!JobId.IsValid(jobId))
        {
            return RetryResult.NotFound($"There is no job {jobId}.");
        }

        var retried = 0;
        var job = await store.UpdateAsync(
            jobId,
            job =>
            {
                var failed = job.Runs.Where(r => r.Status == RunStatus.Failed).Select(r => r.Repository).ToList();
                retried = failed.Count;
                return failed.Count == 0 ? null : failed.Aggregate(job, (j, repository) => JobLifecycle.Retry(j, repository, time.GetUtcNow()));
            },
            cancellationToken);
        if (job is null)
        {
            return RetryResult.NotFound($"There is no job {jobId}.");
        }

        if (retried == 0)
        {
            return RetryResult.Conflict($"Job {jobId} has no failed run to retry.");
        }

        signal.Notify();
        return RetryResult.Done(job);
    }

    /// <summary>Queues one failed or cancelled run again.</summary>
    public async Task<RetryResult> RetryAsync(string jobId, string repository, CancellationToken cancellationToken)
    {
        var result = await UpdateRunAsync(
            jobId,
            repository,
            (job, run) => run.Status.IsRetryable()
                ? (JobLifecycle.Retry(job, repository, time.GetUtcNow()), null)
                : (null, $"The run for {repository} is {run.Status.ToString().ToLowerInvariant()}; only failed or cancelled runs can be retried."),
            cancellationToken);
        if (result.Job is not null)
        {
            signal.Notify();
        }

        return result;
    }

    /// <summary>
    /// A new job in the same campaign with the same prompt, title, mode, model and repositories; its
    /// runs update the campaign's branches and open pull requests. Null when the job does not exist;
    /// <see cref="SpendCapReachedException"/> when a spend cap is reached.
    /// </summary>
    public async Task<Job?> RerunAsync(string jobId, CancellationToken cancellationToken)
    {
        var source = await GetAsync(jobId, cancellationToken);
        if (source is null)
        {
            return null;
        }

        await (spend?.EnsureUnderCapsAsync(CallerContext.Current, cancellationToken) ?? Task.CompletedTask);

        var job = JobLifecycle.Rerun(source, time.GetUtcNow()) with { Author = CallerContext.Current.Name, AuthorKeyId = CallerContext.Current.KeyId };
        await store.CreateAsync(job, cancellationToken);
        signal.Notify();
        return job;
    }

    /// <summary>Queues a succeeded run of a patch-only job to publish its patch as a pull request.</summary>
    public async Task<RetryResult> PublishAsync(string jobId, string repository, CancellationToken cancellationToken)
    {
        var result = await UpdateRunAsync(jobId, repository, (job, _) => JobLifecycle.RequestPublish(job, repository, time.GetUtcNow()), cancellationToken);
        if (result.Job is not null)
        {
            signal.Notify();
        }

        return result;
    }

    /// <summary>Opens a run's artifact (patch or thread); says why not when there is none.</summary>
    public async Task<ArtifactResult> OpenArtifactAsync(string jobId, string repository, ArtifactKind kind, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            return ArtifactResult.Missing($"There is no job {jobId}.");
        }

        var run = job.FindRun(repository);
        if (run is null)
        {
            return ArtifactResult.Missing($"Job {jobId} has no run for {repository}.");
        }

        var key = kind == ArtifactKind.Patch ? run.PatchArtifact : run.ThreadArtifact;
        if (key is null)
        {
            var what = kind == ArtifactKind.Patch ? "patch" : "thread";
            var why = run.Status.IsFinal()
                ? kind == ArtifactKind.Patch ? "the run made no change" : "the run recorded no messages"
                : $"the run is still {run.Status.ToString().ToLowerInvariant()}";
            return ArtifactResult.Missing($"The run for {run.Repository} has no {what}: {why}.");
        }

        var stream = await artifacts.OpenReadAsync(key, cancellationToken);
        return stream is null
            ? ArtifactResult.Missing($"The {kind.ToString().ToLowerInvariant()} of {run.Repository} is recorded but its file is missing from the artifact store.")
            : new ArtifactResult(stream, run, null);
    }

    // Changes one run, or refuses with a sentence: not found when the job or the run does not exist,
    // a conflict with the refusal, otherwise the job as stored (unchanged when the change had nothing to do).
    private async Task<RetryResult> UpdateRunAsync(
        string jobId, string repository, Func<Job, RepositoryRun, (Job? Changed, string? Refusal)> change, CancellationToken cancellationToken)
    {
        if (!JobId.IsValid(jobId))
        {
            return RetryResult.NotFound($"There is no job {jobId}.");
        }

        string? refused = null;
        var job = await store.UpdateAsync(
            jobId,
            job =>
            {
                refused = null;
                if (job.FindRun(repository) is not { } run)
                {
                    return null;
                }

                (var changed, refused) = change(job, run);
                return changed;
            },
            cancellationToken);
        if (job is null)
        {
            return RetryResult.NotFound($"There is no job {jobId}.");
        }

        if (job.FindRun(repository) is null)
        {
            return RetryResult.NotFound($"Job {jobId} has no run for {repository}.");
        }

        return refused is not null ? RetryResult.Conflict(refused) : RetryResult.Done(job);
    }
}
