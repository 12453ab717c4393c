namespace CodyBatch.Core.PullRequests;

/// <summary>
/// What makes a run a follow-up round on a pull request Cody Batch opened: which pull request, which round of it, and
/// why. A round works on the pull request's branch head and pushes a new commit onto it (a conflict round rebuilds the
/// change on the base branch instead); everything it is told about the cause is quoted data, never instructions.
/// </summary>
public sealed record FollowUpRound
{
    /// <summary>The job whose run opened the pull request (the run the rounds are shown under).</summary>
    public required string OriginJobId { get; init; }

    /// <summary>The pull request's number.</summary>
    public required int PullRequest { get; init; }

    /// <summary>Which round of the pull request this is, from 1.</summary>
    public required int Number { get; init; }

    /// <summary>What called for it.</summary>
    public required RoundSignalKind Kind { get; init; }

    /// <summary>The cause's key, as the decision keeps it.</summary>
    public required string Cause { get; init; }

    /// <summary>The decision's sentence ("Round due: alice (COLLABORATOR) requested changes.").</summary>
    public required string Reason { get; init; }

    /// <summary>The host's id of the review or comment that called for it; null for checks and conflicts.</summary>
    public string? SignalId { get; init; }

    /// <summary>Who asked, for a review or comment.</summary>
    public string? Author { get; init; }

    /// <summary>The head commit the round started from (known once the round read the pull request).</summary>
    public string? HeadSha { get; init; }

    /// <summary>True for the round that rebuilds the change on the current base branch and moves the branch (a conflict).</summary>
    public bool Rebuilds => Kind == RoundSignalKind.Conflict;
}
