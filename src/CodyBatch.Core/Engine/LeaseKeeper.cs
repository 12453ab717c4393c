using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Keeps a running run's lease and its progress in the store while it works: renews the lease every
/// third of its duration and, in between, stores what changed as it changes (usage after each turn,
/// the current activity, the thread so far at most every ThreadStoreInterval, since each store
/// rewrites the whole thread). Writes are at least ProgressInterval apart. Says when the lease was
/// lost or a user asked to cancel.
/// </summary>
public sealed partial class LeaseKeeper(
    IJobStore store, RunArtifacts artifacts, IOptions<WorkerOptions> options, TimeProvider time, ILogger<LeaseKeeper> logger)
{
    /// <summary>Runs until <paramref name="stop"/>; cancels <paramref name="leaseLost"/> or <paramref name="userCancel"/> when the store says so.</summary>
    public async Task KeepUpAsync(
        RunRef runRef, string workerId, RunContext context, CancellationTokenSource userCancel, CancellationTokenSource leaseLost, CancellationToken stop)
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
                        // What the job's other runs spent meanwhile: the agent stops once the job's budget is spent.
                        context.Budget?.Observe(JobBudget.SpentOutside(job, runRef.Repository, context.Run.Usage));
                        (var renewed, result) = JobLifecycle.Renew(job, runRef.Repository, workerId, time.GetUtcNow(), lease, context.TotalUsage, live);
                        return result == JobLifecycle.RenewResult.Lost ? null : renewed;
                    },
                    stop);
                if (result == JobLifecycle.RenewResult.Lost)
                {
                    CancelQuietly(leaseLost);
                    return;
                }

                if (result == JobLifecycle.RenewResult.CancelRequested)
                {
                    CancelQuietly(userCancel);
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

    /// <summary>Cancels <paramref name="source"/> unless the run has ended and disposed it already.</summary>
    public static void CancelQuietly(CancellationTokenSource source)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease on {JobId}/{Repository}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string jobId, string repository);
}
