using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>Spent vs forecast vs budget, in USD.</summary>
/// <param name="SpentUsd">Triage and fix runs together.</param>
/// <param name="TriageSpentUsd">Triage runs.</param>
/// <param name="TriageCostPerRepositoryUsd">Average triage cost per triaged repository.</param>
/// <param name="CostPerRepositoryUsd">The canary's fix cost per repository (all ended fix runs' before a canary ended).</param>
/// <param name="InFlightEstimateUsd">What running runs are expected to add.</param>
/// <param name="ForecastUsd">Spent + in flight + cost per repository × repositories left; null before a fix run ended.</param>
/// <param name="BudgetUsd">The campaign's budget, or null.</param>
/// <param name="CostPerMergedPullRequestUsd">Spent ÷ merged pull requests, or null.</param>
public sealed record CampaignMoney(
    decimal SpentUsd, decimal TriageSpentUsd, decimal? TriageCostPerRepositoryUsd, decimal? CostPerRepositoryUsd,
    decimal InFlightEstimateUsd, decimal? ForecastUsd, decimal? BudgetUsd, decimal? CostPerMergedPullRequestUsd)
{
    /// <summary>The money of <paramref name="figures"/> under <paramref name="budget"/>.</summary>
    public static CampaignMoney Of(CampaignFigures figures, decimal? budget) => new(
        figures.SpentUsd, figures.TriageSpentUsd, figures.TriageCostPerRepository, figures.CostPerRepository,
        figures.InFlightEstimateUsd, figures.ForecastUsd, budget, figures.CostPerMergedPullRequest);
}
