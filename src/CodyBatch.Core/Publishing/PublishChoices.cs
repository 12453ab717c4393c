namespace CodyBatch.Core.Publishing;

/// <summary>
/// What a job asks for about its pull requests. Every field left out takes the server's default;
/// an empty list asks for none even when the server has a default.
/// </summary>
public sealed record PublishChoices
{
    /// <summary>Open pull requests as drafts.</summary>
    public bool? Draft { get; init; }

    /// <summary>Labels (up to 20, each up to 50 characters).</summary>
    public IReadOnlyList<string?>? Labels { get; init; }

    /// <summary>GitHub logins asked to review (up to 15 together with the teams).</summary>
    public IReadOnlyList<string?>? Reviewers { get; init; }

    /// <summary>Team slugs asked to review.</summary>
    public IReadOnlyList<string?>? TeamReviewers { get; init; }

    /// <summary>GitHub logins to assign (up to 10).</summary>
    public IReadOnlyList<string?>? Assignees { get; init; }

    /// <summary>The start of branch names, such as <c>codybatch/</c> or <c>bots/security-</c>.</summary>
    public string? BranchPrefix { get; init; }

    /// <summary>Whether Cody Batch merges the pull requests (<c>when</c>: never or green) and how (<c>method</c>: merge, squash or rebase).</summary>
    public MergeChoices? Merge { get; init; }

    /// <summary>
    /// When an open pull request (from anyone) touches a file the change touches: <c>note</c> opens the pull request and
    /// names the overlapping ones on the run; <c>hold</c> opens nothing and keeps the change as a patch, publishable later.
    /// </summary>
    public string? Overlap { get; init; }

    /// <summary>Which events start follow-up rounds, how many a pull request gets and what one may cost; the server's settings otherwise.</summary>
    public RoundChoices? Rounds { get; init; }
}
