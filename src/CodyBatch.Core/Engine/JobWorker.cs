using System.Collections.Concurrent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Runs repository runs in this process: claims them with a lease, keeps the lease renewed,
/// stops a run promptly when it is cancelled or hits its time limit, and records how each
/// ended. At most <see cref="WorkerOptions.Concurrency"/> runs at once, taken fairly across jobs.
/// </summary>
public sealed partial class JobWorker(
    IJobStore store,
    RunPipeline pipeline,
    RunArtifacts artifacts,
    WorkSignal signal,
    RunCancellations cancellations,
    Notifications.JobNotifier notifier,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    /// <summary>This worker's identity in leases.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            // This process only serves the API; another process (or AWS Batch) runs the jobs.
            LogDisabled(logger);
            return;
        }

        using var slots = new SemaphoreSlim(settings.Concurrency);
        var running = new ConcurrentDictionary<Task, byte>();
        void Start(RunClaim claim)
        {
            var task = Task.Run(
                async () =>
                {
                    try
                    {
                        await ExecuteAsync(claim, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                },
                CancellationToken.None);
            running.TryAdd(task, 0);
            _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
        }

        LogStarted(logger, WorkerId, settings.Concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                RunClaim? claim = null;
                try
                {
                    claim = await ClaimNextAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogClaimFailed(logger, e);
                }

                if (claim is null)
                {
                    slots.Release();
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                    continue;
                }

                Start(claim);

                // When the free slots take the rest of the job, its other runs go now too, so the job is not
                // split across waves; when they do not, the fair order across jobs decides the next claim.
                var siblings = claim.Job.Runs.Where(r => r.Repository != claim.Run.Repository && r.IsClaimable(time.GetUtcNow())).ToList();
                if (siblings.Count > slots.CurrentCount)
                {
                    siblings.Clear();
                }

                foreach (var sibling in siblings)
                {
                    if (!slots.Wait(0, CancellationToken.None))
                    {
                        break;
                    }

                    RunClaim? next = null;
                    try
                    {
                        next = await ClaimAsync(new RunRef(claim.Job.Id, sibling.Repository), stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogClaimFailed(logger, e);
                    }

                    if (next is null)
                    {
                        slots.Release();
                        continue;
                    }

                    Start(next);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the runs in flight release themselves below.
        }

        await Task.WhenAll(running.Keys);
    }

    /// <summary>Claims the next run in fair order, or returns null when there is none.</summary>
    public async Task<RunClaim?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        var candidates = await store.FindClaimableAsync(time.GetUtcNow(), 16, cancellationToken);
        foreach (var candidate in candidates)
        {
            if (await ClaimAsync(candidate, cancellationToken) is { } claim)
            {
                return claim;
            }
        }

        return null;
    }

    /// <summary>Claims <paramref name="candidate"/> if it is still claimable; null when another worker was faster or it was cancelled.</summary>
    public async Task<RunClaim?> ClaimAsync(RunRef candidate, CancellationToken cancellationToken)
    {
        var claimed = false;
        var stored = await store.UpdateAsync(
            candidate.JobId,
            job =>
            {
                var changed = JobLifecycle.TryClaim(job, candidate.Repository, WorkerId, time.GetUtcNow(), options.Value.LeaseDuration);
                claimed = changed?.FindRun(candidate.Repository) is { Status: RunStatus.Fetching };
                return changed;
            },
            cancellationToken);
        if (claimed && stored?.FindRun(candidate.Repository) is { } run)
        {
            LogClaimed(logger, stored.Id, run.Repository, run.Attempts);
            return new RunClaim(stored, run);
        }

        return null;
    }

    /// <summary>Executes a claimed run to its end and records the outcome. Never throws for one run's failure.</summary>
    public async Task ExecuteAsync(RunClaim claim, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var runRef = new RunRef(claim.Job.Id, claim.Run.Repository);
        using var userCancel = new CancellationTokenSource();
        using var timeout = new CancellationTokenSource(settings.RunTimeout, time);
        using var leaseLost = new CancellationTokenSource();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, userCancel.Token, timeout.Token, leaseLost.Token);
        using var stopRenewal = new CancellationTokenSource();
        using (cancellations.Register(runRef, () => Cancel(userCancel)))
        {
            var context = new RunContext(
                claim.Job,
                claim.Run,
                time,
                (stage, ct) => store.UpdateAsync(runRef.JobId, job => JobLifecycle.Advance(job, runRef.Repository, WorkerId, stage, time.GetUtcNow()), ct),
                (work, ct) => store.UpdateAsync(
                    runRef.JobId,
                    job => JobLifecycle.Submit(
                        job, runRef.Repository, WorkerId, work.Result.WereChangesNecessary, work.Result.Summary, work.Submission,
                        work.PatchArtifact, work.ThreadArtifact, work.Usage, time.GetUtcNow(), work.Verification),
                    ct));
            var renewal = KeepUpAsync(runRef, context, userCancel, leaseLost, stopRenewal.Token);

            RunOutcome? outcome = null;
            try
            {
                outcome = await pipeline.ExecuteAsync(context, run.Token);
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
                // Decided below from which of the sources fired.
            }
            catch (LeaseLostException)
            {
                Cancel(leaseLost);
            }
            catch (Exception e)
            {
                // The pipeline records failures itself; this is a last guard so the host lives on.
                LogRunCrashed(logger, e, runRef.JobId, runRef.Repository);
                outcome = new RunOutcome { Status = RunStatus.Failed, Error = "The run stopped on an internal error; retry it.", Usage = context.TotalUsage };
            }
            finally
            {
                await stopRenewal.CancelAsync();
                await renewal;
            }

            try
            {
                if (leaseLost.IsCancellationRequested)
                {
                    LogLeaseLost(logger, runRef.JobId, runRef.Repository);
                    return;
                }

                if (outcome is null && !userCancel.IsCancellationRequested && !timeout.IsCancellationRequested)
                {
                    // Shutting down: give the run back so that the next start takes it up at once.
                    await store.UpdateAsync(runRef.JobId, job => JobLifecycle.Release(job, runRef.Repository, WorkerId, time.GetUtcNow(), context.TotalUsage), CancellationToken.None);
                    LogReleased(logger, runRef.JobId, runRef.Repository);
                    return;
                }

                outcome ??= userCancel.IsCancellationRequested
                    ? new RunOutcome { Status = RunStatus.Cancelled, Error = "Cancelled by a user." }
                    : new RunOutcome { Status = RunStatus.Failed, Error = $"The run took longer than its limit of {Durations.Describe(settings.RunTimeout)} (CodyBatch:Worker:RunTimeout) and was stopped." };
                if (outcome.Status != RunStatus.Succeeded)
                {
                    outcome = outcome with
                    {
                        ThreadArtifact = outcome.ThreadArtifact ?? context.ThreadArtifact,
                        ThreadEntries = outcome.ThreadEntries ?? context.StoredThreadEntries,
                        PatchArtifact = outcome.PatchArtifact ?? context.PatchArtifact,
                        CommitSha = outcome.CommitSha ?? context.CommitSha,
                        Usage = context.TotalUsage,
                    };
                }

                var wasOpen = false;
                Job? Finish(Job job)
                {
                    wasOpen = !job.Runs.All(r => r.Status.IsFinal());
                    return JobLifecycle.Finish(job, runRef.Repository, WorkerId, outcome, time.GetUtcNow());
                }

                Job? ended;
                try
                {
                    ended = await store.UpdateAsync(runRef.JobId, Finish, CancellationToken.None);
                }
                catch (JobTooLargeException e)
                {
                    // The result does not fit the job's record: end the run with the store's sentence, once, instead of
                    // leaving the lease to run out and the agent to be run (and paid for) again.
                    outcome = new RunOutcome
                    {
                        Status = RunStatus.Failed,
                        Error = e.Message,
                        PatchArtifact = outcome.PatchArtifact ?? context.PatchArtifact,
                        ThreadArtifact = outcome.ThreadArtifact ?? context.ThreadArtifact,
                        CommitSha = outcome.CommitSha ?? context.CommitSha,
                        Usage = context.TotalUsage,
                    };
                    ended = await store.UpdateAsync(runRef.JobId, Finish, CancellationToken.None);
                }

                if (wasOpen && ended is not null && ended.Runs.All(r => r.Status.IsFinal()))
                {
                    notifier.JobEnded(ended);
                }

                LogFinished(logger, runRef.JobId, runRef.Repository, outcome.Status);
            }
            catch (LeaseLostException)
            {
                LogLeaseLost(logger, runRef.JobId, runRef.Repository);
            }
            catch (Exception e)
            {
                // The store failed; the lease runs out and another attempt picks the run up.
                LogRecordFailed(logger, e, runRef.JobId, runRef.Repository);
            }
        }
    }

    // Renews the lease every third of its duration and, in between, stores what changed as it
    // changes: usage after each turn, the current activity, and the thread so far (at most every
    // ThreadStoreInterval, since each store rewrites the whole thread). Writes are at least
    // ProgressInterval apart.
    private async Task KeepUpAsync(
        RunRef runRef, RunContext context, CancellationTokenSource userCancel, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var settings = options.Value;
        var lease = settings.LeaseDuration;
        var threadStored = DateTimeOffset.MinValue;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var threadDue = context.Thread.Count > context.StoredThreadEntries
                    ? threadStored + settings.ThreadStoreInterval - time.GetUtcNow()
                    : TimeSpan.MaxValue;
                var wait = threadDue < lease / 3 ? (threadDue > TimeSpan.Zero ? threadDue : TimeSpan.Zero) : lease / 3;
                using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    await Task.WhenAny(context.Changed, Task.Delay(wait, time, waiting.Token));
                    await waiting.CancelAsync();
                }

                stop.ThrowIfCancellationRequested();
                context.ResetChanged();
                if (context.Thread.Count > context.StoredThreadEntries && time.GetUtcNow() - threadStored >= settings.ThreadStoreInterval)
                {
                    await artifacts.StoreThreadAsync(context);
                    threadStored = time.GetUtcNow();
                }

                var result = JobLifecycle.RenewResult.Lost;
                var live = new LiveState(context.Activity, context.ThreadArtifact, context.StoredThreadEntries);
                await store.UpdateAsync(
                    runRef.JobId,
                    job =>
                    {
                        (var renewed, result) = JobLifecycle.Renew(job, runRef.Repository, WorkerId, time.GetUtcNow(), lease, context.TotalUsage, live);
                        return result == JobLifecycle.RenewResult.Lost ? null : renewed;
                    },
                    stop);
                if (result == JobLifecycle.RenewResult.Lost)
                {
                    Cancel(leaseLost);
                    return;
                }

                if (result == JobLifecycle.RenewResult.CancelRequested)
                {
                    Cancel(userCancel);
                }

                await Task.Delay(settings.ProgressInterval, time, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A store hiccup: try again at the next tick; the lease has slack for two misses.
                LogRenewFailed(logger, e, runRef.JobId, runRef.Repository);
            }
        }
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} started with {Concurrency} slots")]
    private static partial void LogStarted(ILogger logger, string workerId, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "In-process workers are off (CodyBatch:Worker:Enabled); jobs wait for another worker")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed {JobId}/{Repository} (attempt {Attempt})")]
    private static partial void LogClaimed(ILogger logger, string jobId, string repository, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {JobId}/{Repository} ended {Status}")]
    private static partial void LogFinished(ILogger logger, string jobId, string repository, RunStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {JobId}/{Repository} for another start")]
    private static partial void LogReleased(ILogger logger, string jobId, string repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on {JobId}/{Repository}; another worker owns it now")]
    private static partial void LogLeaseLost(ILogger logger, string jobId, string repository);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for work failed")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {JobId}/{Repository} crashed")]
    private static partial void LogRunCrashed(ILogger logger, Exception exception, string jobId, string repository);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the end of {JobId}/{Repository}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string jobId, string repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease on {JobId}/{Repository}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string jobId, string repository);
}
