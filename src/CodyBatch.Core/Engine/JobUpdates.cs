using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Engine;

/// <summary>Read–change–write with optimistic concurrency: retried when another writer got there first.</summary>
public static class JobUpdates
{
    /// <summary>
    /// Applies <paramref name="change"/> to the stored job until the write succeeds. The change
    /// returns null to leave the job as it is. Returns the stored job after the change, the
    /// unchanged job when the change declined, or null when the job does not exist.
    /// </summary>
    public static async Task<Job?> UpdateAsync(
        this IJobStore store, string jobId, Func<Job, Job?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var job = await store.GetAsync(jobId, cancellationToken);
            if (job is null)
            {
                return null;
            }

            var changed = change(job);
            if (changed is null)
            {
                return job;
            }

            var stored = await store.TryUpdateAsync(changed, cancellationToken);
            if (stored is not null)
            {
                return stored;
            }

            if (attempt >= 50)
            {
                throw new InvalidOperationException($"Job {jobId} kept changing under this writer; gave up after {attempt} attempts.");
            }

            // Someone else wrote in between; back off a little so that the writers spread out.
            await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken);
        }
    }
}
