using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// One prompt run over 1 to 5 repositories. Immutable: every change of state goes
/// through <see cref="JobLifecycle"/>.
/// </summary>
public sealed record Job
{
    /// <summary>Identifier that sorts by creation time (see <see cref="JobId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The free-form instruction given to the agent.</summary>
    public required string Prompt { get; init; }

    /// <summary>An optional short title for lists.</summary>
    public string? Title { get; init; }

    /// <summary>What the job delivers.</summary>
    public JobMode Mode { get; init; } = JobMode.PullRequest;

    /// <summary>
    /// The campaign the job belongs to: null for a first job (its own id is the campaign), the
    /// first job's id for a re-run. Runs of one campaign share a branch and pull request per repository.
    /// </summary>
    public string? CampaignId { get; init; }

    /// <summary>How the job's pull requests look: draft, labels, reviewers, assignees, branch prefix.</summary>
    public Publishing.PublishSettings Publish { get; init; } = Publishing.PublishSettings.Default;

    /// <summary>The Claude model the agent uses.</summary>
    public required string Model { get; init; }

    /// <summary>
    /// The check command lines every repository of the job runs before and after the change; null means
    /// each repository's own (its checks file, or detected), an empty list means none.
    /// </summary>
    public IReadOnlyList<string>? Checks { get; init; }

    /// <summary>Whether Claude gets a shell in the run's sandbox; null follows the server (CodyBatch:Shell:Enabled), false turns it off.</summary>
    public bool? Shell { get; init; }

    /// <summary>What the job's setup and shell may reach: the registries on the server's allow-list (the default) or nothing.</summary>
    public JobNetwork Network { get; init; } = JobNetwork.Registries;

    /// <summary>
    /// Most the job may cost in US dollars, all its runs together; null for no job budget (each run still has the
    /// server's CodyBatch:Agent:MaxCostUsd). A run starts with the smaller of the two as its cost cap.
    /// </summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>Extended thinking's budget per response, in tokens; null for no extended thinking.</summary>
    public int? ThinkingBudgetTokens { get; init; }

    /// <summary>Who created it: a key's name, <c>schedule X</c>, <c>webhook</c>, <c>local</c>; null for jobs from before authorship was recorded.</summary>
    public string? Author { get; init; }

    /// <summary>The id of the named API key that created it, for per-key spend; null otherwise.</summary>
    public string? AuthorKeyId { get; init; }

    /// <summary>When the job was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the first run was claimed.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the last run ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Derived from the runs by <see cref="JobLifecycle"/>.</summary>
    public JobStatus Status { get; init; } = JobStatus.Queued;

    /// <summary>The repository runs, in the order they were requested.</summary>
    public required IReadOnlyList<RepositoryRun> Runs { get; init; }

    /// <summary>Optimistic-concurrency version; stores increment it on every successful update.</summary>
    public long Version { get; init; }

    /// <summary>Tokens and cost of every run together.</summary>
    public TokenUsage Usage => Runs.Aggregate(TokenUsage.Zero, (sum, run) => sum + run.Usage);

    /// <summary>The run for <paramref name="repository"/> (case-insensitive), or null.</summary>
    public RepositoryRun? FindRun(string repository) =>
        Runs.FirstOrDefault(r => string.Equals(r.Repository, repository, StringComparison.OrdinalIgnoreCase));
}
