namespace CodyBatch.Core.Repositories;

/// <summary>A change to publish as a branch and pull request.</summary>
/// <param name="JobId">The job, for branch names and links.</param>
/// <param name="Repository">The repository and the commit the change is based on.</param>
/// <param name="WorkspacePath">The changed tree.</param>
/// <param name="Patch">The change as a git unified diff.</param>
/// <param name="Title">The pull request title.</param>
/// <param name="Body">The pull request body (markdown).</param>
/// <param name="Changes">The changed files, for hosts that publish file by file.</param>
/// <param name="Draft">Open the pull request as a draft: the job asks for one, the change is flagged as risky, broke a check, or the run is incomplete. A host that cannot makes no pull request and says so by leaving its URL out.</param>
public sealed record PublishRequest(
    string JobId,
    ResolvedRepository Repository,
    string WorkspacePath,
    string Patch,
    string Title,
    string Body,
    IReadOnlyList<Workspaces.WorkspaceChange> Changes,
    bool Draft = false)
{
    /// <summary>The campaign, which names the branch (the job's id when null).</summary>
    public string? CampaignId { get; init; }

    /// <summary>
    /// The campaign's pull request for this repository, when it has one: updated while open (and
    /// left alone when it already holds this patch), never reopened once merged or closed.
    /// </summary>
    public PullRequests.PullRequest? Existing { get; init; }

    /// <summary>
    /// Set for a follow-up round: the change is a new commit on <see cref="Existing"/>'s branch whose parent is its head
    /// (<c>Repository.CommitSha</c>), pushed without force and leaving the pull request's title and body alone; a conflict
    /// round (<see cref="PullRequests.FollowUpRound.Rebuilds"/>) moves the branch to the change rebuilt on the base branch.
    /// Either way the pull request must still be open.
    /// </summary>
    public PullRequests.FollowUpRound? Round { get; init; }

    /// <summary>The commit's message when it is not <see cref="Title"/> (a round's).</summary>
    public string? CommitMessage { get; init; }

    /// <summary>Labels, reviewers, assignees and branch prefix (its <c>Draft</c> is already in <see cref="Draft"/>); the defaults when null.</summary>
    public Publishing.PublishSettings? Settings { get; init; }
}

/// <summary>Where a published change went.</summary>
/// <param name="Branch">The branch that holds the change (in the fork, when it went through one).</param>
/// <param name="PullRequestUrl">The pull request, when the host opens them.</param>
public sealed record PublishedChange(string Branch, string? PullRequestUrl)
{
    /// <summary>The pull request's number, when the host can follow it.</summary>
    public int? Number { get; init; }

    /// <summary>The branch's head commit after the publish.</summary>
    public string? HeadSha { get; init; }

    /// <summary>Whether the pull request is a draft.</summary>
    public bool Draft { get; init; }

    /// <summary>True when the open pull request already held this patch, so nothing was pushed.</summary>
    public bool Unchanged { get; init; }

    /// <summary>What the user should know about it, such as labels that were left off or the fork it came from.</summary>
    public string? Notice { get; init; }
}
