using System.Globalization;

namespace CodyBatch.Core.Campaigns;

/// <summary>
/// The campaign's decisions, as a pure function of its rows and the time: which jobs start, which phase follows,
/// and why it waits. Triage jobs, then canary jobs, then (after approval) fix jobs, each of at most five
/// repositories and at most <see cref="CampaignSpec.Concurrency"/> at once. No job starts once spent + the in-flight
/// estimate reaches the budget. A fix job starts only with room under the pull request caps, counting the runs in
/// flight that may still open one: open + pending ≤ P, opened in the past hour + pending ≤ H.
/// </summary>
public static class CampaignAdvancer
{
    /// <summary>Why a paused campaign waits.</summary>
    public const string PausedWaiting = "Paused: nothing new starts until it is resumed.";

    /// <summary>Decides the next step of <paramref name="campaign"/> with its (synchronised) <paramref name="rows"/> at <paramref name="now"/>.</summary>
    public static CampaignDecision Decide(Campaign campaign, IReadOnlyList<CampaignRepository> rows, DateTimeOffset now)
    {
        var phase = campaign.Phase;
        if (campaign.IsFinal || phase == CampaignPhase.Preview)
        {
            return new(phase, [], phase == CampaignPhase.Preview ? "Waiting for the preview to be approved." : null, null);
        }

        var spec = campaign.Spec;
        var figures = CampaignFigures.Of(rows);
        var inFlightJobs = rows.Where(r => r.Phase is RepositoryPhase.Triaging or RepositoryPhase.Running)
            .Select(r => r.Phase == RepositoryPhase.Triaging ? r.TriageJobId : r.JobId).Distinct().Count();
        var slots = spec.Concurrency - inFlightJobs;
        var overBudget = spec.BudgetUsd is { } budget && figures.SpentUsd + figures.InFlightEstimateUsd >= budget;

        if (phase == CampaignPhase.Triage)
        {
            var untriaged = rows.Where(r => r.Phase == RepositoryPhase.Pending && r.TriageJobId is null).ToList();
            if (untriaged.Count == 0)
            {
                if (inFlightJobs > 0)
                {
                    return new(phase, [], $"Triage: {inFlightJobs} job(s) running.", null);
                }

                phase = spec.CanaryJobs > 0 ? CampaignPhase.Canary : CampaignPhase.FanOut;
            }
            else
            {
                return Start(CampaignPhase.Triage, CampaignJobKind.Triage, untriaged, slots, int.MaxValue, null, inFlightJobs, overBudget, figures, campaign);
            }
        }

        var ready = rows.Where(r => r.Phase == RepositoryPhase.Pending && r.NeedsFix).ToList();
        var pacing = Pacing(spec, rows, figures, now);
        if (phase == CampaignPhase.Canary)
        {
            var canaryRows = rows.Where(r => r.Canary).ToList();
            if (canaryRows.Count == 0)
            {
                if (ready.Count == 0)
                {
                    return Finish(rows, inFlightJobs, phase);
                }

                var take = ready.Take(spec.CanaryJobs * CampaignLimits.RepositoriesPerJob).ToList();
                return Start(CampaignPhase.Canary, CampaignJobKind.Canary, take, slots, pacing.Room, pacing.Why, inFlightJobs, overBudget, figures, campaign) with { WakeAt = pacing.WakeAt };
            }

            var waitingCanary = canaryRows.Where(r => r.Phase == RepositoryPhase.Pending).ToList();
            if (waitingCanary.Count > 0)
            {
                // Pacing held part of the canary back.
                return Start(CampaignPhase.Canary, CampaignJobKind.Canary, waitingCanary, slots, pacing.Room, pacing.Why, inFlightJobs, overBudget, figures, campaign) with { WakeAt = pacing.WakeAt };
            }

            return canaryRows.Any(r => r.Phase == RepositoryPhase.Running)
                ? new(phase, [], "The canary runs.", null)
                : new(CampaignPhase.AwaitingApproval, [], AwaitingText(figures), null);
        }

        if (phase == CampaignPhase.AwaitingApproval)
        {
            return new(phase, [], AwaitingText(figures), null);
        }

        // Fan-out.
        if (ready.Count == 0)
        {
            return Finish(rows, inFlightJobs, CampaignPhase.FanOut);
        }

        return Start(CampaignPhase.FanOut, CampaignJobKind.Fix, ready, slots, pacing.Room, pacing.Why, inFlightJobs, overBudget, figures, campaign) with { WakeAt = pacing.WakeAt };
    }

    private static CampaignDecision Finish(IReadOnlyList<CampaignRepository> rows, int inFlightJobs, CampaignPhase phase) =>
        inFlightJobs > 0 || rows.Any(r => r.Phase is RepositoryPhase.Running or RepositoryPhase.Triaging)
            ? new(phase, [], $"{inFlightJobs} job(s) running; nothing is left to start.", null)
            : new(CampaignPhase.Done, [], null, null);

    private static CampaignDecision Start(
        CampaignPhase phase, CampaignJobKind kind, List<CampaignRepository> candidates, int slots, int prRoom, string? pacingWhy,
        int inFlightJobs, bool overBudget, CampaignFigures figures, Campaign campaign)
    {
        if (campaign.Paused)
        {
            return new(phase, [], PausedWaiting, null);
        }

        if (overBudget)
        {
            var budget = campaign.Spec.BudgetUsd!.Value;
            var left = candidates.Count;
            return inFlightJobs > 0
                ? new(phase, [], $"Budget: spent {Usd(figures.SpentUsd)} + in flight {Usd(figures.InFlightEstimateUsd)} reaches the budget of {Usd(budget)}; no new job starts, the {inFlightJobs} running finish.", null)
                : new(CampaignPhase.StoppedAtBudget, [], $"Stopped at budget: spent {Usd(figures.SpentUsd)} of {Usd(budget)}; {left} repositories left.", null);
        }

        if (slots <= 0)
        {
            return new(phase, [], $"Concurrency: {inFlightJobs} job(s) of the campaign running (at most {campaign.Spec.Concurrency}).", null);
        }

        var jobs = new List<PlannedJob>();
        var index = 0;
        var room = prRoom;
        while (jobs.Count < slots && index < candidates.Count && room > 0)
        {
            var size = Math.Min(CampaignLimits.RepositoriesPerJob, Math.Min(room, candidates.Count - index));
            jobs.Add(new PlannedJob(kind, candidates.GetRange(index, size)));
            index += size;
            room = room == int.MaxValue ? room : room - size;
        }

        var waiting = index < candidates.Count
            ? room <= 0 ? pacingWhy : $"Concurrency: {inFlightJobs + jobs.Count} job(s) of the campaign running (at most {campaign.Spec.Concurrency})."
            : null;
        return new(phase, jobs, waiting, null);
    }

    private static (int Room, string? Why, DateTimeOffset? WakeAt) Pacing(CampaignSpec spec, IReadOnlyList<CampaignRepository> rows, CampaignFigures figures, DateTimeOffset now)
    {
        if (string.Equals(spec.Job.Mode, "patch", StringComparison.OrdinalIgnoreCase))
        {
            return (int.MaxValue, null, null);
        }

        var room = int.MaxValue;
        string? why = null;
        DateTimeOffset? wake = null;
        if (spec.MaxOpenPullRequests is { } maxOpen)
        {
            room = Math.Max(0, maxOpen - figures.OpenPullRequests - figures.PendingPullRequests);
            why = $"Pacing: {figures.OpenPullRequests} pull request(s) open and {figures.PendingPullRequests} run(s) that may open one (at most {maxOpen} open); it resumes as they merge or close.";
        }

        if (spec.MaxPullRequestsPerHour is { } perHour)
        {
            var window = rows.Where(r => r.PullRequestOpenedAt is { } at && at > now.AddHours(-1)).Select(r => r.PullRequestOpenedAt!.Value).Order().ToList();
            var hourRoom = Math.Max(0, perHour - window.Count - figures.PendingPullRequests);
            if (hourRoom < room)
            {
                // The oldest opening in the window leaves it an hour after it happened.
                room = hourRoom;
                wake = room == 0 && window.Count > 0 ? window[0].AddHours(1) : null;
                why = $"Pacing: {window.Count} pull request(s) opened in the past hour and {figures.PendingPullRequests} run(s) that may open one (at most {perHour} an hour)"
                    + (wake is { } w ? $"; the next can start at {w.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC." : ".");
            }
        }

        return (room, why, wake);
    }

    private static string AwaitingText(CampaignFigures figures) =>
        figures.ForecastUsd is { } forecast
            ? $"Waiting for approval: the canary cost {Usd(figures.CostPerRepository ?? 0m)} per repository; {figures.Left} left forecast {Usd(forecast)} in all."
            : $"Waiting for approval; {figures.Left} repositories left.";

    private static string Usd(decimal amount) => amount.ToString("$#,##0.00", CultureInfo.InvariantCulture);
}
