namespace CodyBatch.Core.Repositories;

/// <summary>A repository found by a host, pinned to one commit.</summary>
/// <param name="FullName">owner/name (<c>local/name</c> for a local repository).</param>
/// <param name="DefaultBranch">The branch a pull request targets.</param>
/// <param name="CommitSha">The commit the run works on.</param>
/// <param name="CanPush">Whether the service account may push branches.</param>
/// <param name="Location">For a local repository, its canonical source (see <see cref="LocalRepository"/>); null otherwise.</param>
/// <param name="TreeSha">The tree of <paramref name="CommitSha"/>, when the host knows it.</param>
public sealed record ResolvedRepository(string FullName, string DefaultBranch, string CommitSha, bool CanPush, string? Location = null, string? TreeSha = null);
