namespace CodyBatch.Core.PullRequests;

/// <summary>What one batched refresh of many pull requests read, and what it cost.</summary>
/// <param name="Readings">One reading per pull request asked for, in the same order.</param>
/// <param name="Calls">Requests made to the host for all of them.</param>
/// <param name="NotModified">Requests answered 304 Not Modified (not counted against the rate limit).</param>
/// <param name="RateLimitPoints">Points of the host's query rate limit spent (GitHub GraphQL's <c>rateLimit.cost</c>); 0 for REST.</param>
public sealed record PullRequestBatch(IReadOnlyList<PullRequestReading> Readings, int Calls, int NotModified, int RateLimitPoints)
{
    /// <summary>Reads each pull request with <see cref="IPullRequestHost.ObserveAsync"/>, one after the other; a failure is that pull request's problem.</summary>
    public static async Task<PullRequestBatch> OneByOneAsync(
        IPullRequestHost host, IReadOnlyList<(string Repository, PullRequest PullRequest)> pulls, CancellationToken cancellationToken)
    {
        var readings = new List<PullRequestReading>(pulls.Count);
        int calls = 0, notModified = 0;
        foreach (var (repository, pull) in pulls)
        {
            try
            {
                var observation = await host.ObserveAsync(repository, pull, cancellationToken);
                calls += observation.Calls;
                notModified += observation.NotModified;
                readings.Add(new PullRequestReading(observation, null));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                readings.Add(new PullRequestReading(null, e.Message));
            }
        }

        return new PullRequestBatch(readings, calls, notModified, 0);
    }
}
