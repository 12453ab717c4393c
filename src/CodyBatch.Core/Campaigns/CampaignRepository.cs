namespace CodyBatch.Core.Campaigns;

/// <summary>One repository of a campaign: its phase, triage answer, job and what its run did.</summary>
public sealed record CampaignRepository
{
    /// <summary>The campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Position in the resolved list (from 0); jobs take repositories in this order.</summary>
    public required int Index { get; init; }

    /// <summary><c>owner/name</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>Where it is.</summary>
    public RepositoryPhase Phase { get; init; } = RepositoryPhase.Pending;

    /// <summary>Whether it ran in a canary job.</summary>
    public bool Canary { get; init; }

    /// <summary>The triage job, or null.</summary>
    public string? TriageJobId { get; init; }

    /// <summary>What triage answered, or null.</summary>
    public TriageResult? Triage { get; init; }

    /// <summary>A hand override of the triage answer: true runs the fix, false skips it; null follows triage.</summary>
    public bool? TriageOverride { get; init; }

    /// <summary>What triage cost here, in USD.</summary>
    public decimal TriageCostUsd { get; init; }

    /// <summary>The fix job, or null.</summary>
    public string? JobId { get; init; }

    /// <summary>The fix run's status (<c>queued</c> … <c>succeeded</c>), or null.</summary>
    public string? RunStatus { get; init; }

    /// <summary>Whether the run found changes necessary, or null.</summary>
    public bool? WereChangesNecessary { get; init; }

    /// <summary>The run's verification (<c>passed</c>, <c>fixed</c>, <c>broke</c>…), or null.</summary>
    public string? Verification { get; init; }

    /// <summary>The pull request's URL, or null.</summary>
    public string? PullRequestUrl { get; init; }

    /// <summary>The pull request's state (<c>open</c>, <c>merged</c>, <c>closed</c>), or null.</summary>
    public string? PullRequestState { get; init; }

    /// <summary>When the campaign first saw its pull request (what the hourly cap counts).</summary>
    public DateTimeOffset? PullRequestOpenedAt { get; init; }

    /// <summary>When the campaign saw its pull request merged or closed (the burndown), or null.</summary>
    public DateTimeOffset? PullRequestClosedAt { get; init; }

    /// <summary>
    /// The change is held as a patch: open pull requests of others touch its files and the job's overlap choice is
    /// hold. No pull request is open for it (it counts for neither cap); publishing the run later opens one.
    /// </summary>
    public bool PublishHeld { get; init; }

    /// <summary>What the run says a user should know (an overlapping pull request, why none opened), or null.</summary>
    public string? Notice { get; init; }

    /// <summary>What the fix run cost, in USD.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Optimistic-concurrency version.</summary>
    public long Version { get; init; }

    /// <summary>Whether a fix should run here: triage said so, or a hand override, or no triage ran.</summary>
    public bool NeedsFix => TriageOverride ?? Triage?.Necessary ?? true;

    /// <summary>The row's store key: the campaign id, then the index zero-padded, so rows sort in list order.</summary>
    public string Key => KeyOf(CampaignId, Index);

    /// <summary>The store key of row <paramref name="index"/> of <paramref name="campaignId"/>.</summary>
    public static string KeyOf(string campaignId, int index) => $"{campaignId}#{index:D5}";
}
