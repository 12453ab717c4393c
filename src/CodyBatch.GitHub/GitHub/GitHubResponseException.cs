namespace CodyBatch.GitHub.GitHub;

/// <summary>A GitHub response outside Octokit (the tarball download) that was not a success.</summary>
public sealed class GitHubResponseException(int status, IReadOnlyDictionary<string, string> headers, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; } = headers;
}
