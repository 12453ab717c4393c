using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Runs one claimed run to its end: the pipeline under the run's time limit, stopped promptly when a
/// user cancels it, the lease is lost or the process shuts down, with the lease and progress kept up
/// meanwhile (<see cref="LeaseKeeper"/>) and the end recorded (<see cref="RunEnding"/>).
/// </summary>
public sealed partial class ClaimedRunExecutor(
    IJobStore store,
    RunPipeline pipeline,
    RunCancellations cancellations,
    RunClaimer claimer,
    LeaseKeeper leases,
    RunEnding ending,
    JobTraces traces,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<ClaimedRunExecutor> logger)
{
    /// <summary>Executes a claimed run to its end and records the outcome. Never throws for one run's failure.</summary>
    public async Task ExecuteAsync(RunClaim claim, CancellationToken stoppingToken)
    {
        var workerId = claimer.WorkerId;
        var runRef = new RunRef(claim.Job.Id, claim.Run.Repository);
        using var userCancel = new CancellationTokenSource();
        using var timeout = new CancellationTokenSource(options.Value.RunTimeout, time);
        using var leaseLost = new CancellationTokenSource();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, userCancel.Token, timeout.Token, leaseLost.Token);
        using var stopRenewal = new CancellationTokenSource();
        var span = traces.StartRun(claim.Job, claim.Run);
        using (cancellations.Register(runRef, () => LeaseKeeper.CancelQuietly(userCancel)))
        {
            var context = new RunContext(
                claim.Job,
                claim.Run,
                time,
                (stage, ct) => store.UpdateAsync(runRef.JobId, job => JobLifecycle.Advance(job, runRef.Repository, workerId, stage, time.GetUtcNow()), ct),
                (work, ct) => store.UpdateAsync(
                    runRef.JobId,
                    job => JobLifecycle.Submit(
                        job, runRef.Repository, workerId, work.Result.WereChangesNecessary, work.Result.Summary, work.Submission,
                        work.PatchArtifact, work.ThreadArtifact, work.Usage, time.GetUtcNow(), work.Verification),
                    ct));
            var renewal = leases.KeepUpAsync(runRef, workerId, context, userCancel, leaseLost, stopRenewal.Token);

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
                LeaseKeeper.CancelQuietly(leaseLost);
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

            var stop = leaseLost.IsCancellationRequested ? RunStop.LeaseLost
                : userCancel.IsCancellationRequested ? RunStop.Cancelled
                : timeout.IsCancellationRequested ? RunStop.TimedOut
                : outcome is null ? RunStop.ShuttingDown
                : RunStop.None;
            var written = await ending.RecordAsync(runRef, workerId, context, outcome, stop);
            traces.EndRun(span, runRef.JobId, written?.FindRun(runRef.Repository)?.Status is { } status && status.IsFinal() ? status : null, written);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {JobId}/{Repository} crashed")]
    private static partial void LogRunCrashed(ILogger logger, Exception exception, string jobId, string repository);
}
