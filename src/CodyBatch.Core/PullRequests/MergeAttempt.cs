namespace CodyBatch.Core.PullRequests;

/// <summary>What the host did when asked to merge, or to enable auto-merge.</summary>
/// <param name="Done">True when it merged (or enabled auto-merge).</param>
/// <param name="Detail">The merge commit, or why the host refused ("the repository does not allow auto-merge").</param>
public sealed record MergeAttempt(bool Done, string Detail);
