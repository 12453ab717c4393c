namespace CodyBatch.Core.Publishing;

/// <summary>How a pull request is merged (GitHub's <c>merge_method</c>).</summary>
public enum MergeMethod
{
    /// <summary>A merge commit.</summary>
    Merge,

    /// <summary>One squashed commit.</summary>
    Squash,

    /// <summary>The commits rebased onto the base branch.</summary>
    Rebase,
}
