using CodyBatch.Aws.Jobs;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Aws.Dispatch;

/// <summary>
/// <c>codybatch sweep</c>, run on a schedule: finds jobs with open runs that no worker holds — queued longer than
/// <see cref="ReconcilerOptions.QueuedGrace"/> without a write, or active with a lease that ran out — and marks each
/// with a fresh <c>redispatchAt</c>, a write the dispatch pipe turns into a new Batch job. A run that lost its worker
/// <see cref="ReconcilerOptions.MaxAttempts"/> times is failed with a sentence instead, so it can be retried by hand;
/// when that ends its job, the job's notifications go out from here (wait for them with <see cref="Core.Notifications.JobNotifier.WhenIdleAsync"/>).
/// </summary>
public sealed partial class DispatchReconciler(
    DynamoDbJobStore store,
    IAmazonDynamoDB client,
    string tableName,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<DispatchReconciler> logger,
    Core.Notifications.JobNotifier? notifier = null)
{
    private const string ReconcilerId = "reconciler";

    /// <summary>One pass; returns the ids of the jobs marked for dispatch.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var marked = new List<string>();
        foreach (var (job, touchedAt) in await store.OpenJobsWithTouchAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            var lost = job.Runs.Where(r => IsLost(r, touchedAt, now, settings)).ToList();
            if (lost.Count == 0)
            {
                continue;
            }

            var exhausted = lost.Where(r => r.Status.IsActive() && r.Attempts >= settings.MaxAttempts).Select(r => r.Repository).ToList();
            foreach (var repository in exhausted)
            {
                await FailAsync(job.Id, repository, settings, cancellationToken);
            }

            if (lost.Count > exhausted.Count && await MarkAsync(job.Id, cancellationToken))
            {
                LogMarked(logger, job.Id, lost.Count - exhausted.Count);
                marked.Add(job.Id);
            }
        }

        return marked;
    }

    private static bool IsLost(RepositoryRun run, DateTimeOffset touchedAt, DateTimeOffset now, ReconcilerOptions settings) =>
        (run.Status == RunStatus.Queued && touchedAt + settings.QueuedGrace <= now)
        || (run.Status.IsActive() && (run.LeaseExpiresAt ?? DateTimeOffset.MinValue) + settings.LeaseGrace <= now);

    // A new mark must appear in the stream as "absent before, present after": clear an old one first (if there was
    // none, nothing to clear), then set it.
    private async Task<bool> MarkAsync(string jobId, CancellationToken cancellationToken)
    {
        await TryUpdateAsync(jobId, "REMOVE redispatchAt", "attribute_exists(redispatchAt)", null, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return await TryUpdateAsync(jobId, "SET redispatchAt = :now", "attribute_exists(pk)", new() { [":now"] = new() { S = now } }, cancellationToken);
    }

    // One conditional update of the job's item; false when the condition did not hold (nothing changed).
    private async Task<bool> TryUpdateAsync(
        string jobId, string update, string condition, Dictionary<string, AttributeValue>? values, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = JobItems.Key(jobId),
                    UpdateExpression = update,
                    ConditionExpression = condition,
                    ExpressionAttributeValues = values,
                },
                cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task FailAsync(string jobId, string repository, ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        var failed = false;
        var ended = await store.UpdateAsync(
            jobId,
            job =>
            {
                failed = false;
                var now = time.GetUtcNow();
                var run = job.FindRun(repository);
                if (run is null || !run.Status.IsActive() || run.LeaseExpiresAt + settings.LeaseGrace > now)
                {
                    return null;
                }

                // Take the run over (its owner is gone) to end it; the takeover is not an attempt of its own.
                var claimed = JobLifecycle.TryClaim(job, repository, ReconcilerId, now, TimeSpan.FromMinutes(1));
                if (claimed?.FindRun(repository) is not { Status: RunStatus.Fetching })
                {
                    return claimed;
                }

                failed = true;
                var finished = JobLifecycle.Finish(claimed, repository, ReconcilerId, new RunOutcome
                {
                    Status = RunStatus.Failed,
                    Error = $"The run lost its worker {run.Attempts} times (it stopped, ran out of memory or hit the 3-hour Batch timeout), "
                        + $"the limit of CodyBatch:Aws:Reconciler:MaxAttempts; retry it, perhaps with a narrower prompt.",
                    PatchArtifact = run.PatchArtifact,
                    ThreadArtifact = run.ThreadArtifact,
                    CommitSha = run.CommitSha,
                    Usage = run.Usage,
                }, now);
                return finished with { Runs = [.. finished.Runs.Select(r => r.Repository == repository ? r with { Attempts = run.Attempts } : r)] };
            },
            cancellationToken);
        if (failed && ended is not null && ended.Runs.All(r => r.Status.IsFinal()))
        {
            // This sweep ended the job: nobody else will send its notifications.
            notifier?.JobEnded(ended);
        }

        LogFailed(logger, jobId, repository);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marked {JobId} for dispatch again ({Runs} runs without a worker)")]
    private static partial void LogMarked(ILogger logger, string jobId, int runs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {JobId}/{Repository}: it lost its worker too many times")]
    private static partial void LogFailed(ILogger logger, string jobId, string repository);
}
