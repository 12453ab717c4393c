using System.Collections.Concurrent;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Bench.Campaign;

/// <summary>The job store, each call counted under <c>IJobStore.Method</c> and then forwarded.</summary>
/// <remarks>Written out rather than a <c>DispatchProxy</c>: the server runs without code generated at run time, as shipped.</remarks>
internal sealed class CountedJobStore(IJobStore inner, ConcurrentDictionary<string, int> counts) : IJobStore
{
    public Task InitializeAsync(CancellationToken cancellationToken) => Count(nameof(InitializeAsync), inner.InitializeAsync(cancellationToken));

    public Task CreateAsync(Job job, CancellationToken cancellationToken) => Count(nameof(CreateAsync), inner.CreateAsync(job, cancellationToken));

    public Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken) => Count(nameof(GetAsync), inner.GetAsync(jobId, cancellationToken));

    public Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken) => Count(nameof(TryUpdateAsync), inner.TryUpdateAsync(job, cancellationToken));

    public Task<IReadOnlyDictionary<string, long>> GetVersionsAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        Count(nameof(GetVersionsAsync), inner.GetVersionsAsync(jobIds, cancellationToken));

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken) => Count(nameof(ListAsync), inner.ListAsync(query, cancellationToken));

    public Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken) =>
        Count(nameof(ListWithOpenPullRequestsAsync), inner.ListWithOpenPullRequestsAsync(cancellationToken));

    public Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Count(nameof(FindClaimableAsync), inner.FindClaimableAsync(now, limit, cancellationToken));

    private T Count<T>(string method, T result)
    {
        counts.AddOrUpdate($"IJobStore.{method}", 1, (_, n) => n + 1);
        return result;
    }
}
