namespace CodyBatch.PullRequests;

/// <summary>A job's campaign: its pull requests counted ("3 merged · 1 open, checks failing · 1 closed") and the burndown.</summary>
public sealed record CampaignResponse(
    string Id, int Open, int OpenChecksFailing, int OpenChangesRequested, int Merged, int Closed, string Summary, IReadOnlyList<BurndownPoint> Burndown)
{
    public static CampaignResponse From(Job job)
    {
        var summary = CampaignSummary.Of(job);
        return new(summary.CampaignId, summary.Open, summary.OpenChecksFailing, summary.OpenChangesRequested, summary.Merged, summary.Closed, summary.Text, summary.Burndown);
    }
}
