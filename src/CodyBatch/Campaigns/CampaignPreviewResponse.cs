using CodyBatch.Core.Campaigns;

namespace CodyBatch.Campaigns;

/// <summary>What a campaign request resolves to, before anything is stored or runs.</summary>
/// <param name="Repositories">The selected repositories, in the order jobs take them.</param>
/// <param name="Excluded">Repositories the filters matched but left out, with why.</param>
/// <param name="Count">How many are selected.</param>
/// <param name="Triage">Whether triage runs (auto: more than 25 repositories).</param>
/// <param name="CanaryRepositories">How many repositories the canary takes (clipped to the pull request caps, P and H).</param>
/// <param name="Jobs">How many fix jobs of up to five repositories the campaign needs at most.</param>
/// <param name="CanaryNote">Why the canary takes fewer repositories than its jobs hold (a pull request cap), or null.</param>
public sealed record CampaignPreviewResponse(
    IReadOnlyList<string> Repositories, IReadOnlyList<ExcludedRepository> Excluded, int Count, bool Triage, int CanaryRepositories, int Jobs, string? CanaryNote)
{
    /// <summary>The preview of <paramref name="validation"/>.</summary>
    public static CampaignPreviewResponse From(CampaignValidation validation)
    {
        var count = validation.Selection.Repositories.Count;
        var (canary, note) = validation.Spec is { } spec ? CanarySize.Of(spec, count) : (Math.Min(count, CampaignLimits.RepositoriesPerJob), null);
        return new(
            validation.Selection.Repositories,
            validation.Selection.Excluded,
            count,
            validation.Spec?.Triage ?? count > CampaignLimits.AutoTriageAbove,
            canary,
            (count + CampaignLimits.RepositoriesPerJob - 1) / CampaignLimits.RepositoriesPerJob,
            note);
    }
}
