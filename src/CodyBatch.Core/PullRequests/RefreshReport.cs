namespace CodyBatch.Core.PullRequests;

/// <summary>What one refresh did: pull requests read, requests made, how many of them were answered 304, and what failed.</summary>
public sealed class RefreshReport
{
    /// <summary>Pull requests read.</summary>
    public int Refreshed { get; set; }

    /// <summary>Requests made.</summary>
    public int Calls { get; set; }

    /// <summary>Requests answered 304 Not Modified, which GitHub does not count against the rate limit.</summary>
    public int NotModified { get; set; }

    /// <summary>Points of the host's query rate limit spent (GitHub GraphQL's cost); REST requests are counted in <see cref="Calls"/>.</summary>
    public int RateLimitPoints { get; set; }

    /// <summary>A sentence per pull request that could not be read.</summary>
    public List<string> Problems { get; } = [];
}
