namespace CodyBatch.Core.PullRequests;

/// <summary>A decision about a follow-up round as the pull request keeps it.</summary>
/// <param name="At">When it was decided.</param>
/// <param name="Cause">The cause's key.</param>
/// <param name="Due">Whether a round was due.</param>
/// <param name="Reason">The sentence.</param>
/// <param name="RoundJobId">The job of the round this decision started; null when it started none.</param>
public sealed record ShepherdDecision(DateTimeOffset At, string Cause, bool Due, string Reason, string? RoundJobId = null);
