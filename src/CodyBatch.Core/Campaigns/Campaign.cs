namespace CodyBatch.Core.Campaigns;

/// <summary>
/// A fleet campaign: one prompt over a resolved list of repositories, run as jobs of up to five. Its id has a job
/// id's shape and is every one of its jobs' <c>campaignId</c>, so all of them share one branch and pull request per
/// repository (the existing campaign path), and a re-run of any of them updates those.
/// </summary>
public sealed record Campaign
{
    /// <summary>Identifier in a job id's shape (sorts by creation time); the jobs' campaign id.</summary>
    public required string Id { get; init; }

    /// <summary>What the campaign runs and how it advances.</summary>
    public required CampaignSpec Spec { get; init; }

    /// <summary>Where it is.</summary>
    public CampaignPhase Phase { get; init; } = CampaignPhase.Preview;

    /// <summary>Paused: nothing new starts; what runs finishes.</summary>
    public bool Paused { get; init; }

    /// <summary>How many repositories the selection resolved to.</summary>
    public int RepositoryCount { get; init; }

    /// <summary>Why no job starts now (pacing, budget, concurrency, approval), in a sentence; null when nothing waits.</summary>
    public string? Waiting { get; init; }

    /// <summary>Who created it.</summary>
    public string? Author { get; init; }

    /// <summary>The API key that created it, for per-key spend.</summary>
    public string? AuthorKeyId { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the preview was approved (it started).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the canary was approved (fan-out began).</summary>
    public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>When it ended (done, stopped at budget, cancelled).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Jobs a step decided to start and has not finished starting (their rows not all written); empty when none.</summary>
    public IReadOnlyList<StartingJob> Starting { get; init; } = [];

    /// <summary>
    /// True while a campaign that will start nothing more still has rows to follow (a pull request open, a change held
    /// for publishing later, a job of a cancelled campaign not yet ended), so merges, closes and later publishes still
    /// reach its rows, counts and burndown. Null on a campaign stored before the flag existed: its next sweep finds out.
    /// </summary>
    public bool? Following { get; init; }

    /// <summary>The process stepping the campaign now, so two never start the same jobs; null when none.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When <see cref="LeaseOwner"/>'s claim lapses.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Optimistic-concurrency version.</summary>
    public long Version { get; init; }

    /// <summary>True when nothing more will start.</summary>
    public bool IsFinal => Phase is CampaignPhase.Done or CampaignPhase.StoppedAtBudget or CampaignPhase.Cancelled;
}
