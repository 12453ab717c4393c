using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Campaigns;

/// <summary>What a user asks for when creating a fleet campaign.</summary>
public sealed record CampaignRequest
{
    /// <summary>An optional title (up to 200 characters); the jobs carry it too.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// What every job of the campaign takes: the prompt and the settings of <c>POST /api/jobs</c> (mode, model,
    /// checks, shell, network, publish with merge and overlap, budget). Its <c>repositories</c> stay empty: the
    /// selection chooses them.
    /// </summary>
    public JobRequest? Job { get; init; }

    /// <summary>A saved prompt's id, used when <c>job.prompt</c> is empty (its prompt, and its mode, model and checks where the job leaves them out).</summary>
    public string? SavedPromptId { get; init; }

    /// <summary>The repositories.</summary>
    public RepositorySelection? Selection { get; init; }

    /// <summary><c>auto</c> (default: on for more than 25 repositories), <c>on</c> or <c>off</c>.</summary>
    public string? Triage { get; init; }

    /// <summary>The model of the triage jobs; the server's triage model when absent.</summary>
    public string? TriageModel { get; init; }

    /// <summary>Canary jobs (of up to five repositories) run before approval: 0 to 5, default 1; 0 asks for no canary.</summary>
    public int? CanaryJobs { get; init; }

    /// <summary>At most this many jobs of the campaign at once (M): 1 to 100, default 5.</summary>
    public int? Concurrency { get; init; }

    /// <summary>The campaign's budget in USD: no new job starts once spent + the in-flight estimate reaches it.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>At most this many open pull requests of the campaign at once (P); none when absent.</summary>
    public int? MaxOpenPullRequests { get; init; }

    /// <summary>At most this many new pull requests per hour (H); none when absent.</summary>
    public int? MaxPullRequestsPerHour { get; init; }
}
