namespace CodyBatch.Core.PullRequests;

/// <summary>What a batched refresh read of one pull request: an observation, or a sentence saying why there is none.</summary>
/// <param name="Observation">What the host reported, or null when it could not be read.</param>
/// <param name="Problem">Why it could not be read, or null.</param>
public sealed record PullRequestReading(PullRequestObservation? Observation, string? Problem);
