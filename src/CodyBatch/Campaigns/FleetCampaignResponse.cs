using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>A fleet campaign with its repositories table, counts, money, pacing and burndown.</summary>
/// <param name="Id">The campaign's id: every job of the campaign has it as <c>campaign.id</c>.</param>
/// <param name="Title">The title, or null.</param>
/// <param name="Phase">preview, triage, canary, awaitingApproval, fanOut, done, stoppedAtBudget, cancelled.</param>
/// <param name="PhaseText">The phase in words.</param>
/// <param name="Paused">Paused: nothing new starts.</param>
/// <param name="Waiting">Why nothing (more) starts now, in a sentence (approval, pacing, budget, concurrency), or null.</param>
/// <param name="Author">Who created it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="StartedAt">When the preview was approved.</param>
/// <param name="ApprovedAt">When fan-out was approved.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Spec">What every job takes and how the campaign advances.</param>
/// <param name="Counts">The repositories counted.</param>
/// <param name="Money">Spent vs forecast vs budget.</param>
/// <param name="Pacing">The pull request caps and where it stands.</param>
/// <param name="Burndown">Open, merged and closed pull requests after each change, oldest first.</param>
/// <param name="Repositories">The repositories table, in list order.</param>
public sealed record FleetCampaignResponse(
    string Id, string? Title, CampaignPhase Phase, string PhaseText, bool Paused, string? Waiting, string? Author,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? ApprovedAt, DateTimeOffset? FinishedAt,
    CampaignSpec Spec, CampaignCounts Counts, CampaignMoney Money, CampaignPacing Pacing,
    IReadOnlyList<CampaignBurndownPoint> Burndown, IReadOnlyList<CampaignRepositoryResponse> Repositories)
{
    /// <summary>The response for <paramref name="campaign"/> and its <paramref name="rows"/> at <paramref name="now"/>.</summary>
    public static FleetCampaignResponse From(Campaign campaign, IReadOnlyList<CampaignRepository> rows, DateTimeOffset now)
    {
        var figures = CampaignFigures.Of(rows);
        var pacing = new CampaignPacing(
            campaign.Spec.MaxOpenPullRequests, campaign.Spec.MaxPullRequestsPerHour, figures.OpenPullRequests,
            rows.Count(r => r.PullRequestOpenedAt > now.AddHours(-1)), figures.PendingPullRequests);
        return new(
            campaign.Id, campaign.Spec.Title, campaign.Phase, CampaignService.Describe(campaign.Phase), campaign.Paused, campaign.Waiting, campaign.Author,
            campaign.CreatedAt, campaign.StartedAt, campaign.ApprovedAt, campaign.FinishedAt, campaign.Spec,
            CampaignCounts.Of(rows, figures), CampaignMoney.Of(figures, campaign.Spec.BudgetUsd), pacing, BurndownOf(rows),
            [.. rows.Select(CampaignRepositoryResponse.From)]);
    }

    private static List<CampaignBurndownPoint> BurndownOf(IReadOnlyList<CampaignRepository> rows)
    {
        var changes = rows.Where(r => r.PullRequestOpenedAt is not null)
            .SelectMany(r => r.PullRequestClosedAt is { } closed
                ? new[] { (At: r.PullRequestOpenedAt!.Value, State: "open"), (At: closed, State: r.PullRequestState ?? "closed") }
                : [(At: r.PullRequestOpenedAt!.Value, State: "open")])
            .OrderBy(c => c.At)
            .ToList();
        var points = new List<CampaignBurndownPoint>();
        int open = 0, merged = 0, closedCount = 0;
        foreach (var (at, state) in changes)
        {
            switch (state)
            {
                case "open": open++; break;
                case "merged": open--; merged++; break;
                default: open--; closedCount++; break;
            }

            if (points.Count > 0 && points[^1].At == at)
            {
                points[^1] = new(at, open, merged, closedCount);
            }
            else
            {
                points.Add(new(at, open, merged, closedCount));
            }
        }

        return points;
    }
}
