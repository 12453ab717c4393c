namespace CodyBatch.Campaigns;

/// <summary>The campaign's pull requests at one moment (after a change).</summary>
public sealed record CampaignBurndownPoint(DateTimeOffset At, int Open, int Merged, int Closed);
