namespace CodyBatch.Core.PullRequests;

/// <summary>Where a pull request stands on its host.</summary>
public enum PullRequestState
{
    /// <summary>Open for review.</summary>
    Open,

    /// <summary>Closed without merging.</summary>
    Closed,

    /// <summary>Merged into its base branch.</summary>
    Merged,
}
