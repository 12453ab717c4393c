namespace CodyBatch.Core.PullRequests;

/// <summary>What <see cref="MergeGate"/> says to do with a pull request.</summary>
public enum MergeAction
{
    /// <summary>Nothing: it may not be merged now (the reason says why).</summary>
    None,

    /// <summary>Merge it now, at its head.</summary>
    Merge,

    /// <summary>Enable GitHub's auto-merge, which merges once its requirements pass (where the repository allows it).</summary>
    EnableAutoMerge,
}
