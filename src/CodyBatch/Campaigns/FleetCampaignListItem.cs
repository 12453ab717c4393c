using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>A fleet campaign in the list.</summary>
public sealed record FleetCampaignListItem(
    string Id, string? Title, CampaignPhase Phase, string PhaseText, bool Paused, string? Waiting, string? Author,
    int RepositoryCount, decimal? BudgetUsd, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    /// <summary>The list item for <paramref name="campaign"/>.</summary>
    public static FleetCampaignListItem From(Campaign campaign) => new(
        campaign.Id, campaign.Spec.Title, campaign.Phase, CampaignService.Describe(campaign.Phase), campaign.Paused, campaign.Waiting,
        campaign.Author, campaign.RepositoryCount, campaign.Spec.BudgetUsd, campaign.CreatedAt, campaign.FinishedAt);
}
