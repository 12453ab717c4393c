namespace CodyBatch.Core.Campaigns;

/// <summary>How an action on a campaign went.</summary>
/// <param name="Campaign">The campaign after the action, or null.</param>
/// <param name="IsNotFound">No such campaign (or repository).</param>
/// <param name="Problem">Why the action is not possible now; null when it was done.</param>
public sealed record CampaignResult(Campaign? Campaign, bool IsNotFound, string? Problem)
{
    /// <summary>Done.</summary>
    public static CampaignResult Done(Campaign campaign) => new(campaign, false, null);

    /// <summary>No such campaign.</summary>
    public static CampaignResult NotFound(string problem) => new(null, true, problem);

    /// <summary>Not possible in the campaign's state.</summary>
    public static CampaignResult Conflict(string problem) => new(null, false, problem);
}
