using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Claims runs for this process with a lease: the next one in fair order, or a named one. A claim
/// fails quietly when another worker was faster or the run was cancelled in between.
/// </summary>
public sealed partial class RunClaimer(IJobStore store, IOptions<WorkerOptions> options, TimeProvider time, ILogger<RunClaimer> logger)
{
    /// <summary>This process's identity in leases.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

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
            if (run.Attempts == 1)
            {
                Telemetry.CodyBatchMetrics.Claimed(time.GetUtcNow() - stored.CreatedAt);
            }

            return new RunClaim(stored, run);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed {JobId}/{Repository} (attempt {Attempt})")]
    private static partial void LogClaimed(ILogger logger, string jobId, string repository, int attempt);
}
