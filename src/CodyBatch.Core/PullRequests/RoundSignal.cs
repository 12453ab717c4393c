namespace CodyBatch.Core.PullRequests;

/// <summary>
/// One event that may call for a follow-up round, as the host reported it. Everything in it came from the
/// repository's users and is untrusted: it is weighed here, never obeyed.
/// </summary>
public sealed record RoundSignal
{
    /// <summary>What happened.</summary>
    public required RoundSignalKind Kind { get; init; }

    /// <summary>The host's id of the review or comment, or the head commit for checks and conflicts: with the kind, the cause.</summary>
    public required string Id { get; init; }

    /// <summary>Who wrote the review or comment.</summary>
    public string? Author { get; init; }

    /// <summary>GitHub's <c>author_association</c> of the author with the repository (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, …).</summary>
    public string? AuthorAssociation { get; init; }

    /// <summary>A review's state: <c>approved</c>, <c>changes_requested</c>, <c>commented</c> or <c>dismissed</c>.</summary>
    public string? ReviewState { get; init; }

    /// <summary>The review's or comment's text.</summary>
    public string? Body { get; init; }

    /// <summary>Checks that fail on the head commit.</summary>
    public IReadOnlyList<string> FailingOnHead { get; init; } = [];

    /// <summary>Checks that fail on the base branch's head (failures the change did not bring).</summary>
    public IReadOnlyList<string> FailingOnBase { get; init; } = [];
}
