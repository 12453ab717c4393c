namespace CodyBatch.Core.PullRequests;

/// <summary>
/// What a follow-up round is told about its cause, read from the host when the round runs. All of it was written by
/// the repository's users or its CI and is untrusted: the agent gets it as quoted data with its author named.
/// </summary>
/// <param name="Diff">The pull request's current diff (bounded).</param>
/// <param name="Comments">The review's comments, or the comment, from people with write access.</param>
/// <param name="Checks">The failing checks on the head with what they said.</param>
public sealed record RoundMaterial(string Diff, IReadOnlyList<RoundComment> Comments, IReadOnlyList<RoundCheck> Checks)
{
    /// <summary>The pull request's head commit when it was read.</summary>
    public string? HeadSha { get; init; }

    /// <summary>The tree of <see cref="HeadSha"/>.</summary>
    public string? HeadTreeSha { get; init; }

    /// <summary>Nothing read.</summary>
    public static RoundMaterial Empty { get; } = new("", [], []);
}
