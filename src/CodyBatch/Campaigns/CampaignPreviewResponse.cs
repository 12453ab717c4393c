using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>What a campaign request resolves to, before anything is stored or runs.</summary>
/// <param name="Repositories">The selected repositories, in the order jobs take them.</param>
/// <param name="Excluded">Repositories the filters matched but left out, with why.</param>
/// <param name="Count">How many are selected.</param>
/// <param name="Triage">Whether triage runs (auto: more than 25 repositories).</param>
/// <param name="CanaryRepositories">How many repositories the canary takes.</param>
/// <param name="Jobs">How many fix jobs of up to five repositories the campaign needs at most.</param>
public sealed record CampaignPreviewResponse(
    IReadOnlyList<string> Repositories, IReadOnlyList<ExcludedRepository> Excluded, int Count, bool Triage, int CanaryRepositories, int Jobs)
{
    /// <summary>The preview of <paramref name="validation"/>.</summary>
    public static CampaignPreviewResponse From(CampaignValidation validation)
    {
        var count = validation.Selection.Repositories.Count;
        var canaryJobs = validation.Spec?.CanaryJobs ?? 1;
        return new(
            validation.Selection.Repositories,
            validation.Selection.Excluded,
            count,
            validation.Spec?.Triage ?? count > CampaignLimits.AutoTriageAbove,
            Math.Min(count, canaryJobs * CampaignLimits.RepositoriesPerJob),
            (count + CampaignLimits.RepositoriesPerJob - 1) / CampaignLimits.RepositoriesPerJob);
    }
}
