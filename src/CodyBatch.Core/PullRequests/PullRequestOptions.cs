using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.PullRequests;

/// <summary>Settings under <c>CodyBatch:PullRequests</c>.</summary>
public sealed class PullRequestOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:PullRequests";

    /// <summary>How often open pull requests are refreshed in the background; zero turns it off (webhooks and refresh on demand still work).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "CodyBatch:PullRequests:RefreshInterval must be between 0 (off) and 1 day.")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a webhook delivery's id is kept to refuse it a second time; older ids are pruned
    /// (SQLite) or expire (DynamoDB). At least 3 days, as GitHub redelivers deliveries of the past 3 days.
    /// </summary>
    [Range(typeof(TimeSpan), "3.00:00:00", "365.00:00:00", ErrorMessage = "CodyBatch:PullRequests:DeliveryRetention must be between 3 days (GitHub redelivers deliveries of the past 3 days) and 365 days.")]
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The comment left on pull requests closed in bulk when the request brings none.</summary>
    [Required(ErrorMessage = "CodyBatch:PullRequests:CloseComment must not be empty.")]
    [MinLength(1, ErrorMessage = "CodyBatch:PullRequests:CloseComment must not be empty.")]
    public string CloseComment { get; set; } = "Closed by Cody Batch: this change is no longer pursued.";
}
