namespace CodyBatch.Core.Jobs;

/// <summary>What a user asks for when creating a job.</summary>
public sealed record JobRequest
{
    /// <summary>The instruction for the agent (1 to 20,000 characters).</summary>
    public string? Prompt { get; init; }

    /// <summary>1 to 5 repositories as <c>owner/name</c>.</summary>
    public IReadOnlyList<string?>? Repositories { get; init; }

    /// <summary><c>pullRequest</c> (default) or <c>patch</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>The model; the configured default when absent.</summary>
    public string? Model { get; init; }

    /// <summary>Extended thinking's budget per response, in tokens (1,024 to 64,000); none when absent.</summary>
    public int? ThinkingBudgetTokens { get; init; }

    /// <summary>An optional title (up to 200 characters).</summary>
    public string? Title { get; init; }

    /// <summary>Check command lines for every repository; null to use each repository's own, empty for none.</summary>
    public IReadOnlyList<string?>? Checks { get; init; }

    /// <summary>Whether Claude gets a shell in the run's sandbox; the server's setting (CodyBatch:Shell:Enabled) when absent. A job can turn it off, never on past the server.</summary>
    public bool? Shell { get; init; }

    /// <summary><c>registries</c> or <c>none</c>: what setup and the shell may reach; the server's setting (CodyBatch:Egress:Network) when absent. A job can narrow it, never widen it.</summary>
    public string? Network { get; init; }

    /// <summary>Most the job may cost in US dollars, all its runs together (0.01 to 10,000); no job budget when absent.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>How pull requests look (draft, labels, reviewers, assignees, branch prefix); server defaults otherwise.</summary>
    public Publishing.PublishChoices? Publish { get; init; }
}
