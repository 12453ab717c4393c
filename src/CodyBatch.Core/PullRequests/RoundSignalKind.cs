namespace CodyBatch.Core.PullRequests;

/// <summary>What happened on a pull request that may call for a follow-up round.</summary>
public enum RoundSignalKind
{
    /// <summary>A review was submitted (approved, changes requested, or commented).</summary>
    Review,

    /// <summary>A comment on a line of the diff.</summary>
    ReviewComment,

    /// <summary>A comment on the pull request's conversation.</summary>
    Comment,

    /// <summary>Checks failed on the head commit.</summary>
    FailingChecks,

    /// <summary>GitHub reports a conflict with the base branch.</summary>
    Conflict,
}
