namespace CodyBatch.Core.Jobs;

/// <summary>
/// Where jobs live. Every implementation passes the same contract test suite. Updates are
/// optimistic: <see cref="TryUpdateAsync"/> writes only when the stored version is the one
/// the caller read, so two writers never overwrite each other's changes.
/// </summary>
public interface IJobStore
{
    /// <summary>Prepares the store (schema, tables). Safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new job with its runs. Throws when the id exists.</summary>
    Task CreateAsync(Job job, CancellationToken cancellationToken);

    /// <summary>The job with all of its runs, or null.</summary>
    Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored job with <paramref name="job"/> if the stored version still equals
    /// <c>job.Version</c>. Returns the job as stored (version incremented), or null when
    /// someone else updated it first (read again and retry) or it does not exist.
    /// </summary>
    Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken);

    /// <summary>
    /// The stored version of each of <paramref name="jobIds"/> that exists (missing ones left out), without reading
    /// the jobs: a reader that keeps what it saw of a job reads the job again only when its version moved.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> GetVersionsAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>Jobs newest first, filtered by status and text, in pages.</summary>
    Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>Jobs with at least one run whose pull request is open, oldest first (what the refresh follows).</summary>
    Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs a worker could claim at <paramref name="now"/>: queued, or active with an expired
    /// lease. Fair order: runs of jobs with fewer unexpired active runs first, then older jobs
    /// first, then request order within a job.
    /// </summary>
    Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
