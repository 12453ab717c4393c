namespace CodyBatch.Core.Publishing;

/// <summary>The open pull requests of a repository and the files each touches, read before a new pull request is opened.</summary>
public interface IOpenPullRequests
{
    /// <summary>Every open pull request of <paramref name="repository"/> (from anyone), with its files.</summary>
    Task<IReadOnlyList<OpenPullRequestFiles>> ListAsync(string repository, CancellationToken cancellationToken);
}
