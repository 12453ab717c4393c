using System.Collections.Concurrent;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Tests.Campaigns;

/// <summary>A job store that notes which jobs were read whole (<see cref="IJobStore.GetAsync"/>), then forwards every call.</summary>
public sealed class ReadCountingJobStore(IJobStore inner, ReadCountingJobStore.Counter counter) : IJobStore
{
    /// <summary>The job ids read whole since the last <see cref="Clear"/>, in order.</summary>
    public sealed class Counter
    {
        private readonly ConcurrentQueue<string> _ids = new();

        public IReadOnlyList<string> Ids => [.. _ids];

        public void Clear() => _ids.Clear();

        public void Add(string id) => _ids.Enqueue(id);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task CreateAsync(Job job, CancellationToken cancellationToken) => inner.CreateAsync(job, cancellationToken);

    public Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        counter.Add(jobId);
        return inner.GetAsync(jobId, cancellationToken);
    }

    public Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken) => inner.TryUpdateAsync(job, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> GetVersionsAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        inner.GetVersionsAsync(jobIds, cancellationToken);

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken) => inner.ListWithOpenPullRequestsAsync(cancellationToken);

    public Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        inner.FindClaimableAsync(now, limit, cancellationToken);
}
