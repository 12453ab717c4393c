namespace CodyBatch.Testing;

/// <summary>
/// A job store that says when a job was written, so a test awaits the write it expects (a run
/// claimed, an activity stored, a job ended) instead of reading the store on a clock.
/// </summary>
public sealed class ObservedJobStore(IJobStore inner) : IJobStore
{
    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next successful write of any job.</summary>
    public Task NextWrite => Volatile.Read(ref _written).Task;

    /// <summary>
    /// The job once <paramref name="condition"/> holds for it: read now, and again after every
    /// write; fails the test when no write brings it there (see <see cref="HangGuard"/>).
    /// </summary>
    public Task<Job> WaitForAsync(string jobId, Func<Job, bool> condition) =>
        WaitCoreAsync(jobId, condition).Expect($"Job {jobId} reaching the expected state");

    private async Task<Job> WaitCoreAsync(string jobId, Func<Job, bool> condition)
    {
        while (true)
        {
            // Taken before the read, so a write between the read and the wait is not missed.
            var written = NextWrite;
            var job = await inner.GetAsync(jobId, CancellationToken.None) ?? throw new InvalidOperationException($"Job {jobId} vanished.");
            if (condition(job))
            {
                return job;
            }

            await written;
        }
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public async Task CreateAsync(Job job, CancellationToken cancellationToken)
    {
        await inner.CreateAsync(job, cancellationToken);
        Written();
    }

    public Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken) => inner.GetAsync(jobId, cancellationToken);

    public async Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken)
    {
        var stored = await inner.TryUpdateAsync(job, cancellationToken);
        if (stored is not null)
        {
            Written();
        }

        return stored;
    }

    public Task<IReadOnlyDictionary<string, long>> GetVersionsAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        inner.GetVersionsAsync(jobIds, cancellationToken);

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken) =>
        inner.ListWithOpenPullRequestsAsync(cancellationToken);

    public Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        inner.FindClaimableAsync(now, limit, cancellationToken);

    private void Written() =>
        Interlocked.Exchange(ref _written, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
