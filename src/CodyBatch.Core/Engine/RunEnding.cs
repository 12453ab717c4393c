using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Records how a claimed run ended: its outcome (with whatever the attempt stored on the way when it
/// did not succeed), the run given back when the process shuts down, nothing when the lease was lost;
/// and, when that write ended the job, the job's notifications. Never throws for one run's failure.
/// </summary>
public sealed partial class RunEnding(IJobStore store, JobEndingWrites endings, IOptions<WorkerOptions> options, TimeProvider time, ILogger<RunEnding> logger)
{
    /// <summary>
    /// Records the end of <paramref name="runRef"/>'s attempt as <paramref name="outcome"/> or <paramref name="stop"/> says;
    /// returns the job as written, or null when nothing was written.
    /// </summary>
    public async Task<Job?> RecordAsync(RunRef runRef, string workerId, RunContext context, RunOutcome? outcome, RunStop stop)
    {
        try
        {
            if (stop == RunStop.LeaseLost)
            {
                LogLeaseLost(logger, runRef.JobId, runRef.Repository);
                return null;
            }

            if (outcome is null && stop == RunStop.ShuttingDown)
            {
                // Give the run back so that the next start takes it up at once.
                var released = await store.UpdateAsync(runRef.JobId, job => JobLifecycle.Release(job, runRef.Repository, workerId, time.GetUtcNow(), context.TotalUsage), CancellationToken.None);
                LogReleased(logger, runRef.JobId, runRef.Repository);
                return released;
            }

            outcome ??= stop == RunStop.Cancelled
                ? new RunOutcome { Status = RunStatus.Cancelled, Error = "Cancelled by a user." }
                : new RunOutcome { Status = RunStatus.Failed, Error = $"The run took longer than its limit of {Durations.Describe(options.Value.RunTimeout)} (CodyBatch:Worker:RunTimeout) and was stopped." };
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

            Job? Finish(Job job) => JobLifecycle.Finish(job, runRef.Repository, workerId, outcome, time.GetUtcNow());
            Job? written;
            try
            {
                written = await endings.UpdateAsync(runRef.JobId, Finish, CancellationToken.None);
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
                written = await endings.UpdateAsync(runRef.JobId, Finish, CancellationToken.None);
            }

            LogFinished(logger, runRef.JobId, runRef.Repository, outcome.Status);
            CodyBatchMetrics.RunEnded(outcome.Status);
            return written;
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(logger, runRef.JobId, runRef.Repository);
            return null;
        }
        catch (Exception e)
        {
            // The store failed; the lease runs out and another attempt picks the run up.
            LogRecordFailed(logger, e, runRef.JobId, runRef.Repository);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {JobId}/{Repository} ended {Status}")]
    private static partial void LogFinished(ILogger logger, string jobId, string repository, RunStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {JobId}/{Repository} for another start")]
    private static partial void LogReleased(ILogger logger, string jobId, string repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on {JobId}/{Repository}; another worker owns it now")]
    private static partial void LogLeaseLost(ILogger logger, string jobId, string repository);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the end of {JobId}/{Repository}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string jobId, string repository);
}
