namespace CodyBatch.Core.Campaigns;

/// <summary>What a job of a campaign is for.</summary>
public enum CampaignJobKind
{
    /// <summary>Read-only: is a change necessary here?</summary>
    Triage,
    /// <summary>A fix before approval.</summary>
    Canary,
    /// <summary>A fix after approval.</summary>
    Fix,
}
