namespace CodyBatch.Core.PullRequests;

/// <summary>A follow-up round started on a pull request, as the pull request keeps it (the round itself is a job of the campaign).</summary>
/// <param name="Number">Which round, from 1.</param>
/// <param name="JobId">The round's job.</param>
/// <param name="Cause">The cause's key.</param>
/// <param name="Reason">Why it started.</param>
/// <param name="StartedAt">When it was started.</param>
public sealed record ShepherdRound(int Number, string JobId, string Cause, string Reason, DateTimeOffset StartedAt);
