namespace CodyBatch.Core.Publishing;

/// <summary>A host without pull requests (local repositories): nothing can overlap.</summary>
public sealed class NoOpenPullRequests : IOpenPullRequests
{
    /// <inheritdoc />
    public Task<IReadOnlyList<OpenPullRequestFiles>> ListAsync(string repository, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OpenPullRequestFiles>>([]);
}
