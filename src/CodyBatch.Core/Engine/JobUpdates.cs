using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Engine;

/// <summary>Read–change–write with optimistic concurrency: retried when another writer got there first.</summary>
public static class JobUpdates
{
    // Writers of one job in this process take turns (the runs of a job all write its one record): a turn waits
    // asynchronously for the one before instead of reading, losing the version race and reading again. Writers of
    // other processes are still met by the version check and the retry.
    private static readonly Dictionary<string, Turn> Turns = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored job until the write succeeds. The change
    /// returns null to leave the job as it is. Returns the stored job after the change, the
    /// unchanged job when the change declined, or null when the job does not exist.
    /// </summary>
    public static async Task<Job?> UpdateAsync(
        this IJobStore store, string jobId, Func<Job, Job?> change, CancellationToken cancellationToken)
    {
        Turn turn;
        lock (Turns)
        {
            if (!Turns.TryGetValue(jobId, out turn!))
            {
                Turns[jobId] = turn = new Turn();
            }

            turn.Waiting++;
        }

        try
        {
            await turn.Semaphore.WaitAsync(cancellationToken);
            try
            {
                return await ApplyAsync(store, jobId, change, cancellationToken);
            }
            finally
            {
                turn.Semaphore.Release();
            }
        }
        finally
        {
            lock (Turns)
            {
                if (--turn.Waiting == 0)
                {
                    Turns.Remove(jobId);
                    turn.Semaphore.Dispose();
                }
            }
        }
    }

    private static async Task<Job?> ApplyAsync(IJobStore store, string jobId, Func<Job, Job?> change, CancellationToken cancellationToken)
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

    private sealed class Turn
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Waiting { get; set; }
    }
}
