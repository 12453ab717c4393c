namespace CodyBatch.Core.Repositories;

/// <summary>A repository found by a host, pinned to one commit.</summary>
/// <param name="FullName">owner/name.</param>
/// <param name="DefaultBranch">The branch a pull request targets.</param>
/// <param name="CommitSha">The commit the run works on.</param>
/// <param name="CanPush">Whether the service account may push branches.</param>
public sealed record ResolvedRepository(string FullName, string DefaultBranch, string CommitSha, bool CanPush);
