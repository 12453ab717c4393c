namespace CodyBatch.Core.Runs;

/// <summary>How a run attempt ended, as recorded by <c>JobLifecycle.Finish</c>.</summary>
public sealed record RunOutcome
{
    /// <summary>Succeeded, Failed or Cancelled.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Whether changes were necessary, when the agent reported it.</summary>
    public bool? WereChangesNecessary { get; init; }

    /// <summary>The agent's summary.</summary>
    public string? Summary { get; init; }

    /// <summary>Something the user should know, such as why no pull request was opened.</summary>
    public string? Notice { get; init; }

    /// <summary>Artifact key of the patch.</summary>
    public string? PatchArtifact { get; init; }

    /// <summary>The size of the patch.</summary>
    public DiffStat? Changes { get; init; }

    /// <summary>How many entries the stored thread holds.</summary>
    public int? ThreadEntries { get; init; }

    /// <summary>Artifact key of the thread.</summary>
    public string? ThreadArtifact { get; init; }

    /// <summary>The pull request opened, if any.</summary>
    public string? PullRequestUrl { get; init; }

    /// <summary>The branch pushed, if any.</summary>
    public string? PullRequestBranch { get; init; }

    /// <summary>The pull request opened or updated, followed from now on; null keeps the run's.</summary>
    public PullRequests.PullRequest? PullRequest { get; init; }

    /// <summary>The commit worked on.</summary>
    public string? CommitSha { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>The checks before and after the change, when they were planned.</summary>
    public Checks.Verification? Verification { get; init; }

    /// <summary>The change was held as a patch because open pull requests touch its files (overlap: hold); it can be published later.</summary>
    public bool Held { get; init; }

    /// <summary>A triage run's answer.</summary>
    public TriageAnswer? Triage { get; init; }

    /// <summary>What this attempt spent.</summary>
    public TokenUsage Usage { get; init; } = TokenUsage.Zero;
}
