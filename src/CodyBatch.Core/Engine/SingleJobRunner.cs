using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>Runs the open runs of one job to their end (the <c>worker --job-id</c> entry point), up to the configured concurrency.</summary>
public sealed class SingleJobRunner(IJobStore store, RunClaimer claimer, ClaimedRunExecutor executor, Notifications.JobNotifier notifier, IOptions<WorkerOptions> options, TimeProvider time)
{
    /// <summary>Claims and executes the job's runs until every run is final; returns the job as it ended.</summary>
    public async Task<Job> RunAsync(string jobId, CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        while (true)
        {
            running.RemoveAll(t => t.IsCompleted);
            var job = await store.GetAsync(jobId, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no job {jobId}.");
            if (job.Runs.All(r => r.Status.IsFinal()) && running.Count == 0)
            {
                // The process exits after this; let the job's notifications finish first.
                await notifier.WhenIdleAsync();
                return job;
            }

            var claimedAny = false;
            foreach (var run in job.Runs.Where(r => r.IsClaimable(time.GetUtcNow())))
            {
                if (running.Count >= options.Value.Concurrency)
                {
                    break;
                }

                if (await claimer.ClaimAsync(new RunRef(jobId, run.Repository), cancellationToken) is { } claim)
                {
                    running.Add(executor.ExecuteAsync(claim, cancellationToken));
                    claimedAny = true;
                }
            }

            if (!claimedAny)
            {
                // Wait for a run of ours to end, or for another worker's lease to run out.
                var tick = Task.Delay(options.Value.PollInterval, time, cancellationToken);
                await Task.WhenAny([tick, .. running]);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
