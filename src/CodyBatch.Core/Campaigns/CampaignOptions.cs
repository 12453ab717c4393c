using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Campaigns;

/// <summary>How the server advances fleet campaigns (<c>CodyBatch:Campaigns</c>).</summary>
public sealed class CampaignOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Campaigns";

    /// <summary>Whether the server steps campaigns itself (off where <c>codybatch sweep</c> does it, such as AWS).</summary>
    public bool Loop { get; set; } = true;

    /// <summary>How often the server steps campaigns when no job ended (the pull request caps free up by the clock and by merges).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "CodyBatch:Campaigns:Interval must be between 1 second and 1 hour.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}
