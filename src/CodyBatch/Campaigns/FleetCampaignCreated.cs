namespace CodyBatch.Campaigns;

/// <summary>A created campaign (in preview) and what its selection resolved to.</summary>
public sealed record FleetCampaignCreated(FleetCampaignResponse Campaign, CampaignPreviewResponse Preview);
