namespace CodyBatch.Core.Campaigns;

/// <summary>Whether a campaign triages its repositories before the fix.</summary>
public enum TriageMode
{
    /// <summary>On for more than <see cref="CampaignLimits.AutoTriageAbove"/> repositories.</summary>
    Auto,
    /// <summary>Always.</summary>
    On,
    /// <summary>Never.</summary>
    Off,
}
