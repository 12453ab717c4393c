namespace CodyBatch.Core.Campaigns;

/// <summary>A job the advancer decided to start.</summary>
/// <param name="Kind">Triage, canary or fix.</param>
/// <param name="Repositories">Its repositories (1 to 5), in list order.</param>
public sealed record PlannedJob(CampaignJobKind Kind, IReadOnlyList<CampaignRepository> Repositories);
