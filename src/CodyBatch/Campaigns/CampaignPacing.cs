namespace CodyBatch.Campaigns;

/// <summary>The pull request caps and where the campaign stands against them.</summary>
/// <param name="MaxOpenPullRequests">At most this many open at once (P), or null.</param>
/// <param name="MaxPullRequestsPerHour">At most this many new per hour (H), or null.</param>
/// <param name="OpenPullRequests">Open now.</param>
/// <param name="OpenedLastHour">Opened in the past hour.</param>
/// <param name="PendingPullRequests">Runs in flight that may still open one.</param>
public sealed record CampaignPacing(int? MaxOpenPullRequests, int? MaxPullRequestsPerHour, int OpenPullRequests, int OpenedLastHour, int PendingPullRequests);
