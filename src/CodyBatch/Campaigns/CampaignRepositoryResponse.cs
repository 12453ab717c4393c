using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>
/// One repository of a campaign, as its table shows it. <c>PublishHeld</c>: the change is held as a patch because
/// another author's open pull request touches its files (<c>job.publish.overlap: hold</c>); <c>Notice</c>: what the
/// run says about it (the overlapping pull requests, noted or holding).
/// </summary>
public sealed record CampaignRepositoryResponse(
    int Index, string Repository, RepositoryPhase Phase, bool Canary, TriageResult? Triage, bool? TriageOverride, bool NeedsFix,
    decimal TriageCostUsd, string? TriageJobId, string? JobId, string? RunStatus, bool? WereChangesNecessary, string? Verification,
    string? PullRequestUrl, string? PullRequestState, decimal CostUsd, bool PublishHeld, string? Notice)
{
    /// <summary>The response for <paramref name="row"/>.</summary>
    public static CampaignRepositoryResponse From(CampaignRepository row) => new(
        row.Index, row.Repository, row.Phase, row.Canary, row.Triage, row.TriageOverride, row.NeedsFix, row.TriageCostUsd, row.TriageJobId,
        row.JobId, row.RunStatus, row.WereChangesNecessary, row.Verification, row.PullRequestUrl, row.PullRequestState, row.CostUsd,
        row.PublishHeld, row.Notice);
}
