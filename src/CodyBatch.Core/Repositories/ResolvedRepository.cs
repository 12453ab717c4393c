namespace CodyBatch.Core.Repositories;

/// <summary>A repository found by a host, pinned to one commit.</summary>
/// <param name="FullName">owner/name (<c>local/name</c> for a local repository).</param>
/// <param name="DefaultBranch">The branch a pull request targets.</param>
/// <param name="CommitSha">The commit the run works on.</param>
/// <param name="CanPush">Whether the service account may push branches.</param>
/// <param name="Location">For a local repository, its canonical source (see <see cref="LocalRepository"/>); null otherwise.</param>
/// <param name="TreeSha">The tree of <paramref name="CommitSha"/>, when the host knows it.</param>
/// <param name="PublishesThroughFork">
/// The account may not push here but the host publishes from a fork of its own instead
/// (<c>CodyBatch:GitHub:ForkWhenNoPush</c>).
/// </param>
public sealed record ResolvedRepository(
    string FullName, string DefaultBranch, string CommitSha, bool CanPush, string? Location = null, string? TreeSha = null, bool PublishesThroughFork = false)
{
    /// <summary>Whether a pull request can be opened for a change: by pushing here, or from a fork.</summary>
    public bool CanPublish => CanPush || PublishesThroughFork;
}
