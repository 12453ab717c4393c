namespace CodyBatch.Core.PullRequests;

/// <summary>One pull request after "merge all green": <c>merged</c>, <c>autoMergeEnabled</c> or <c>notMerged</c>, and why.</summary>
/// <param name="JobId">The job whose run holds the pull request.</param>
/// <param name="Repository">The repository as owner/name.</param>
/// <param name="Number">The pull request's number.</param>
/// <param name="Outcome"><c>merged</c>, <c>autoMergeEnabled</c> or <c>notMerged</c>.</param>
/// <param name="Reason">A sentence.</param>
public sealed record MergeOutcome(string JobId, string Repository, int Number, string Outcome, string Reason);
