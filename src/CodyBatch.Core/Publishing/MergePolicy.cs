namespace CodyBatch.Core.Publishing;

/// <summary>Whether and how a job's pull requests are merged by Cody Batch.</summary>
/// <param name="When">Never, or once green.</param>
/// <param name="Method">Merge commit, squash or rebase.</param>
public sealed record MergePolicy(MergeWhen When = MergeWhen.Never, MergeMethod Method = MergeMethod.Merge)
{
    /// <summary>Never merged by Cody Batch.</summary>
    public static MergePolicy Never { get; } = new();
}
