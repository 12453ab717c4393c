namespace CodyBatch.Core.PullRequests;

/// <summary>What to do about merging a pull request now, and why.</summary>
/// <param name="Action">Nothing, merge, or enable auto-merge.</param>
/// <param name="Reason">Why, as the end of a sentence ("a reviewer requested changes").</param>
public sealed record MergeDecision(MergeAction Action, string Reason);
