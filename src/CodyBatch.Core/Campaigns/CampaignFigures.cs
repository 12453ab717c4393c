namespace CodyBatch.Core.Campaigns;

/// <summary>
/// What a campaign's rows add up to: counts, spent, the estimate per repository and the forecast. The forecast is
/// the canary's cost per repository (the fix runs that ended, while no canary finished) × the repositories left to
/// fix (those triage or a hand override marked, or all when triage did not run), plus what is spent and the
/// in-flight estimate.
/// </summary>
public sealed record CampaignFigures
{
    /// <summary>Repositories in the campaign.</summary>
    public int Total { get; init; }

    /// <summary>Rows per phase.</summary>
    public IReadOnlyDictionary<RepositoryPhase, int> ByPhase { get; init; } = new Dictionary<RepositoryPhase, int>();

    /// <summary>Triage answered: changes necessary.</summary>
    public int TriageNecessary { get; init; }

    /// <summary>Triage answered: no changes necessary.</summary>
    public int TriageNotNecessary { get; init; }

    /// <summary>Repositories still waiting for their fix job (that need one).</summary>
    public int Left { get; init; }

    /// <summary>USD spent (triage and fix runs).</summary>
    public decimal SpentUsd { get; init; }

    /// <summary>USD spent on triage.</summary>
    public decimal TriageSpentUsd { get; init; }

    /// <summary>Average triage cost per triaged repository, or null.</summary>
    public decimal? TriageCostPerRepository { get; init; }

    /// <summary>The fix's cost per repository: the canary's average (all ended fix runs' before a canary ended), or null.</summary>
    public decimal? CostPerRepository { get; init; }

    /// <summary>What the runs in flight are expected to cost beyond what they spent so far.</summary>
    public decimal InFlightEstimateUsd { get; init; }

    /// <summary>Spent + in flight + cost per repository × repositories left; null before any fix run ended.</summary>
    public decimal? ForecastUsd { get; init; }

    /// <summary>Pull requests open now.</summary>
    public int OpenPullRequests { get; init; }

    /// <summary>Pull requests merged.</summary>
    public int MergedPullRequests { get; init; }

    /// <summary>Pull requests closed without merging.</summary>
    public int ClosedPullRequests { get; init; }

    /// <summary>Changes held as patches because open pull requests of others touch their files (no pull request open).</summary>
    public int HeldPullRequests { get; init; }

    /// <summary>Spent ÷ merged pull requests, or null before one merged.</summary>
    public decimal? CostPerMergedPullRequest { get; init; }

    /// <summary>Runs in flight that may still open a pull request.</summary>
    public int PendingPullRequests { get; init; }

    /// <summary>Adds up <paramref name="rows"/>.</summary>
    public static CampaignFigures Of(IReadOnlyList<CampaignRepository> rows)
    {
        var triaged = rows.Where(r => r.Triage is not null || (r.TriageJobId is not null && r.Phase != RepositoryPhase.Triaging)).ToList();
        var triageSpent = rows.Sum(r => r.TriageCostUsd);
        var spent = triageSpent + rows.Sum(r => r.CostUsd);
        var ended = rows.Where(r => r.Phase == RepositoryPhase.Done).ToList();
        var canary = ended.Where(r => r.Canary).ToList();
        var basis = canary.Count > 0 ? canary : ended;
        decimal? perRepository = basis.Count > 0 ? basis.Sum(r => r.CostUsd) / basis.Count : null;
        decimal? triagePer = triaged.Count > 0 ? triaged.Sum(r => r.TriageCostUsd) / triaged.Count : null;
        var inFlight = rows.Sum(r => r.Phase switch
        {
            RepositoryPhase.Running when perRepository is { } each => Math.Max(0m, each - r.CostUsd),
            RepositoryPhase.Triaging when triagePer is { } each => Math.Max(0m, each - r.TriageCostUsd),
            _ => 0m,
        });
        var left = rows.Count(r => r.Phase == RepositoryPhase.Pending && r.NeedsFix);
        var merged = rows.Count(r => r.PullRequestState == "merged");
        return new CampaignFigures
        {
            Total = rows.Count,
            ByPhase = rows.GroupBy(r => r.Phase).ToDictionary(g => g.Key, g => g.Count()),
            TriageNecessary = rows.Count(r => r.Triage is { Necessary: true }),
            TriageNotNecessary = rows.Count(r => r.Triage is { Necessary: false }),
            Left = left,
            SpentUsd = spent,
            TriageSpentUsd = triageSpent,
            TriageCostPerRepository = triagePer,
            CostPerRepository = perRepository,
            InFlightEstimateUsd = inFlight,
            ForecastUsd = perRepository is { } per ? spent + inFlight + (per * left) : null,
            OpenPullRequests = rows.Count(r => r.PullRequestState == "open"),
            MergedPullRequests = merged,
            ClosedPullRequests = rows.Count(r => r.PullRequestState == "closed"),
            HeldPullRequests = rows.Count(r => r.PublishHeld),
            CostPerMergedPullRequest = merged > 0 ? spent / merged : null,
            PendingPullRequests = rows.Count(r => r.Phase == RepositoryPhase.Running && r.PullRequestUrl is null),
        };
    }
}
