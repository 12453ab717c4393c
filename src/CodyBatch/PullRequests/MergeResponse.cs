namespace CodyBatch.PullRequests;

/// <summary>
/// "Merge all green": each pull request considered, with what happened — <c>merged</c>, <c>autoMergeEnabled</c>
/// (GitHub merges it once its checks pass) or <c>notMerged</c> — and why.
/// </summary>
public sealed record MergeResponse(int Merged, int AutoMergeEnabled, int NotMerged, IReadOnlyList<MergeOutcome> PullRequests)
{
    public static MergeResponse From(IReadOnlyList<MergeOutcome> outcomes) => new(
        outcomes.Count(o => o.Outcome == "merged"),
        outcomes.Count(o => o.Outcome == "autoMergeEnabled"),
        outcomes.Count(o => o.Outcome == "notMerged"),
        outcomes);
}
