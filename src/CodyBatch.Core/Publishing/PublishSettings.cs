namespace CodyBatch.Core.Publishing;

/// <summary>
/// How a job's pull requests look: the job's choices over the server's defaults
/// (<see cref="PublishDefaultsOptions"/>), fixed when the job is created.
/// </summary>
public sealed record PublishSettings
{
    /// <summary>The branch prefix when neither the job nor the server names one.</summary>
    public const string DefaultBranchPrefix = "codybatch/";

    /// <summary>Settings with nothing asked for: ready pull requests on <c>codybatch/</c> branches.</summary>
    public static PublishSettings Default { get; } = new();

    /// <summary>Open pull requests as drafts.</summary>
    public bool Draft { get; init; }

    /// <summary>Labels to put on each pull request; missing ones are created, or skipped with a notice.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Users asked to review.</summary>
    public IReadOnlyList<string> Reviewers { get; init; } = [];

    /// <summary>Teams (slugs of the repository owner's organization) asked to review.</summary>
    public IReadOnlyList<string> TeamReviewers { get; init; } = [];

    /// <summary>Users the pull request is assigned to.</summary>
    public IReadOnlyList<string> Assignees { get; init; } = [];

    /// <summary>What branch names start with, before <c>&lt;job id&gt;-&lt;name&gt;</c>.</summary>
    public string BranchPrefix { get; init; } = DefaultBranchPrefix;

    /// <summary>Whether and how Cody Batch merges the pull requests.</summary>
    public MergePolicy Merge { get; init; } = MergePolicy.Never;

    /// <summary>What happens when an open pull request already touches a file the change touches.</summary>
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Note;

    /// <summary>The job's follow-up round settings (triggers, bound, cost cap); null follows the server's (<c>CodyBatch:Shepherd</c>).</summary>
    public PullRequests.RoundPolicy? Rounds { get; init; }

    /// <summary>Equal when every setting is, the lists item by item in order.</summary>
    public bool Equals(PublishSettings? other) =>
        other is not null
        && Draft == other.Draft
        && BranchPrefix == other.BranchPrefix
        && Merge == other.Merge
        && Overlap == other.Overlap
        && Rounds == other.Rounds
        && Labels.SequenceEqual(other.Labels)
        && Reviewers.SequenceEqual(other.Reviewers)
        && TeamReviewers.SequenceEqual(other.TeamReviewers)
        && Assignees.SequenceEqual(other.Assignees);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Draft, BranchPrefix, Labels.Count, Reviewers.Count, TeamReviewers.Count, Assignees.Count);
}
