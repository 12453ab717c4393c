using System.Collections.Concurrent;

namespace CodyBatch.Testing;

/// <summary>A job store that notes the jobs read whole and the writes tried (<see cref="IJobStore.TryUpdateAsync"/>, won or lost), then forwards every call.</summary>
public sealed class CountingJobStore(IJobStore inner) : IJobStore
{
    private readonly ConcurrentQueue<string> _reads = new();
    private int _writes;

    /// <summary>The job ids read whole (<see cref="IJobStore.GetAsync"/>) since the last <see cref="Clear"/>, in order.</summary>
    public IReadOnlyList<string> Reads => [.. _reads];

    /// <summary>Updates tried since the last <see cref="Clear"/>, those refused for a stale version among them.</summary>
    public int WritesTried => Volatile.Read(ref _writes);

    public void Clear()
    {
        _reads.Clear();
        Interlocked.Exchange(ref _writes, 0);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task CreateAsync(Job job, CancellationToken cancellationToken) => inner.CreateAsync(job, cancellationToken);

    /// <summary>When set, a read returns only after other work queued meanwhile ran (as a real store's I/O lets it).</summary>
    public bool YieldAfterRead { get; set; }

    public async Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        _reads.Enqueue(jobId);
        var job = await inner.GetAsync(jobId, cancellationToken);
        if (YieldAfterRead)
        {
            await Task.Yield();
        }

        return job;
    }

    public Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        return inner.TryUpdateAsync(job, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, long>> GetVersionsAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        inner.GetVersionsAsync(jobIds, cancellationToken);

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken) => inner.ListWithOpenPullRequestsAsync(cancellationToken);

    public Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        inner.FindClaimableAsync(now, limit, cancellationToken);
}
