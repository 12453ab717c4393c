using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Campaigns;

/// <summary>A validated campaign request, as stored: what every job takes and how the campaign advances.</summary>
public sealed record CampaignSpec
{
    /// <summary>The title, or null.</summary>
    public string? Title { get; init; }

    /// <summary>What every job of the campaign is created from (the prompt resolved; no repositories).</summary>
    public required JobRequest Job { get; init; }

    /// <summary>The saved prompt the prompt came from, or null.</summary>
    public string? SavedPromptId { get; init; }

    /// <summary>The selection as asked for (the resolved list is the campaign's repository rows).</summary>
    public required RepositorySelection Selection { get; init; }

    /// <summary>Whether triage runs (decided at creation: <c>auto</c> became on or off).</summary>
    public bool Triage { get; init; }

    /// <summary>The triage jobs' model, or null for the server's triage model.</summary>
    public string? TriageModel { get; init; }

    /// <summary>Canary jobs before approval (0: none).</summary>
    public int CanaryJobs { get; init; } = 1;

    /// <summary>At most this many jobs of the campaign at once.</summary>
    public int Concurrency { get; init; } = CampaignLimits.DefaultConcurrency;

    /// <summary>The budget in USD, or null for none.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>At most this many open pull requests at once, or null.</summary>
    public int? MaxOpenPullRequests { get; init; }

    /// <summary>At most this many new pull requests per hour, or null.</summary>
    public int? MaxPullRequestsPerHour { get; init; }
}
