namespace CodyBatch.Core.Repositories;

/// <summary>A change to publish as a branch and pull request.</summary>
/// <param name="JobId">The job, for branch names and links.</param>
/// <param name="Repository">The repository and the commit the change is based on.</param>
/// <param name="WorkspacePath">The changed tree.</param>
/// <param name="Patch">The change as a git unified diff.</param>
/// <param name="Title">The pull request title.</param>
/// <param name="Body">The pull request body (markdown).</param>
/// <param name="Changes">The changed files, for hosts that publish file by file.</param>
/// <param name="Draft">Open the pull request as a draft (an incomplete run's work, or a change that broke a check). A host that cannot makes no pull request and says so by leaving its URL out.</param>
public sealed record PublishRequest(
    string JobId,
    ResolvedRepository Repository,
    string WorkspacePath,
    string Patch,
    string Title,
    string Body,
    IReadOnlyList<Workspaces.WorkspaceChange> Changes,
    bool Draft = false);

/// <summary>Where a published change went.</summary>
public sealed record PublishedChange(string Branch, string? PullRequestUrl);
