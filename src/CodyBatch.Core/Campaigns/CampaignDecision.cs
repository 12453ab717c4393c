namespace CodyBatch.Core.Campaigns;

/// <summary>What the advancer decided for a campaign at one moment.</summary>
/// <param name="Phase">The campaign's phase after this step.</param>
/// <param name="Jobs">Jobs to start now.</param>
/// <param name="Waiting">Why nothing (more) starts now, in a sentence; null when nothing waits.</param>
/// <param name="WakeAt">When waiting ends by the clock alone (the hourly pull request cap), or null.</param>
public sealed record CampaignDecision(CampaignPhase Phase, IReadOnlyList<PlannedJob> Jobs, string? Waiting, DateTimeOffset? WakeAt);
