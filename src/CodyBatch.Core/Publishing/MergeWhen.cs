namespace CodyBatch.Core.Publishing;

/// <summary>When Cody Batch merges a job's pull requests.</summary>
public enum MergeWhen
{
    /// <summary>Never: people merge.</summary>
    Never,

    /// <summary>Once checks pass and the review allows it (GitHub's auto-merge where the repository allows it).</summary>
    Green,
}
