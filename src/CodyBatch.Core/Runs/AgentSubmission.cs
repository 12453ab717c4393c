namespace CodyBatch.Core.Runs;

/// <summary>
/// What a run keeps of the agent's finished work so that publishing can resume without the agent:
/// the parts of its result that only publishing needs, and the exact snapshot the patch applies to.
/// The result's <c>wereChangesNecessary</c> and summary live on the run itself, and so do the patch
/// and thread artifacts.
/// </summary>
public sealed record AgentSubmission
{
    /// <summary>The pull request title the agent proposed, if any.</summary>
    public string? PullRequestTitle { get; init; }

    /// <summary>The pull request body the agent proposed, if any.</summary>
    public string? PullRequestBody { get; init; }

    /// <summary>The commit the agent worked on; the stored patch applies to its tree.</summary>
    public required string BaseCommitSha { get; init; }

    /// <summary>The tree of <see cref="BaseCommitSha"/>, when the host reported it.</summary>
    public string? BaseTreeSha { get; init; }

    /// <summary>
    /// True when a budget ran out before the agent submitted: the result is the work so far, and it is
    /// published as a draft pull request marked incomplete.
    /// </summary>
    public bool Incomplete { get; init; }

    /// <summary>When the result was stored.</summary>
    public DateTimeOffset SubmittedAt { get; init; }
}
