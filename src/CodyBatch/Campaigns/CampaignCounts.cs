using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>
/// A campaign's repositories counted by phase, triage answer, outcome and pull request state; <c>HeldPullRequests</c>
/// counts the changes held as patches by the overlap choice (no pull request open, so neither cap counts them).
/// </summary>
public sealed record CampaignCounts(
    int Total, int Pending, int Triaging, int NotNeeded, int Running, int Done, int Skipped,
    int TriageNecessary, int TriageNotNecessary, int Left, int Succeeded, int Failed,
    int OpenPullRequests, int MergedPullRequests, int ClosedPullRequests, int HeldPullRequests)
{
    /// <summary>The counts of <paramref name="rows"/>.</summary>
    public static CampaignCounts Of(IReadOnlyList<CampaignRepository> rows, CampaignFigures figures)
    {
        int Phase(RepositoryPhase phase) => figures.ByPhase.GetValueOrDefault(phase);
        return new(
            figures.Total, Phase(RepositoryPhase.Pending), Phase(RepositoryPhase.Triaging), Phase(RepositoryPhase.NotNeeded), Phase(RepositoryPhase.Running),
            Phase(RepositoryPhase.Done), Phase(RepositoryPhase.Skipped), figures.TriageNecessary, figures.TriageNotNecessary, figures.Left,
            rows.Count(r => r.RunStatus == "succeeded"), rows.Count(r => r.RunStatus == "failed"),
            figures.OpenPullRequests, figures.MergedPullRequests, figures.ClosedPullRequests, figures.HeldPullRequests);
    }
}
