using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Schedules;

/// <summary>
/// A saved job specification that fires on a cron expression in a time zone. Every firing
/// after the first is a re-run in the schedule's campaign, so open pull requests are updated.
/// </summary>
public sealed record Schedule
{
    /// <summary>Most firings kept in <see cref="Firings"/>; older ones are dropped.</summary>
    public const int FiringsKept = 50;

    /// <summary>Identifier (<c>schedule-</c> and 26 characters that sort by creation time).</summary>
    public required string Id { get; init; }

    /// <summary>What lists show; also the title of the jobs it starts.</summary>
    public required string Name { get; init; }

    /// <summary>The prompt, unless <see cref="SavedPromptId"/> names a saved prompt.</summary>
    public string? Prompt { get; init; }

    /// <summary>A saved prompt whose current text, mode, model and checks each firing uses.</summary>
    public string? SavedPromptId { get; init; }

    /// <summary>1 to 5 repositories as <c>owner/name</c>.</summary>
    public required IReadOnlyList<string> Repositories { get; init; }

    /// <summary>The mode; the saved prompt's when null and a saved prompt is named, else pull request.</summary>
    public JobMode? Mode { get; init; }

    /// <summary>Check commands; the saved prompt's when empty.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>The model; the saved prompt's or the configured default when null.</summary>
    public string? Model { get; init; }

    /// <summary>The dollar budget of each job it starts (all its runs together); null for none.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>
    /// False to give the jobs it starts no shell; null for the saved prompt's, else the server's
    /// (CodyBatch:Shell:Enabled). Null too for schedules stored before the field.
    /// </summary>
    public bool? Shell { get; init; }

    /// <summary>
    /// What the setup and shell of the jobs it starts may reach; null for the saved prompt's, else the server's
    /// (CodyBatch:Egress:Network). Null too for schedules stored before the field.
    /// </summary>
    public JobNetwork? Network { get; init; }

    /// <summary>A cron expression (five fields, or six with seconds first), read in <see cref="TimeZone"/>.</summary>
    public required string Cron { get; init; }

    /// <summary>An IANA time zone such as <c>Europe/Berlin</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary>False while paused.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The campaign its jobs belong to (its first job's id); null before the first firing.</summary>
    public string? CampaignId { get; init; }

    /// <summary>The job the last started firing created.</summary>
    public string? LastJobId { get; init; }

    /// <summary>Firings due at or before this time have been handled (started, skipped or recorded as missed).</summary>
    public required DateTimeOffset CheckedThrough { get; init; }

    /// <summary>What happened at recent firings, oldest first.</summary>
    public IReadOnlyList<ScheduleFiring> Firings { get; init; } = [];

    /// <summary>
    /// The id of the caller who created it (see <see cref="Admission.Caller"/>); its firings count
    /// against that caller's job rate limit. Null for schedules stored before authors were recorded.
    /// </summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (a key's name, <c>local</c>); null for schedules from before authorship was recorded.</summary>
    public string? Author { get; init; }

    /// <summary>When it was last changed (paused, resumed, fired).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// How many times its specification was edited (<c>PUT /api/schedules/{id}</c>); not moved by firings, pausing or
    /// resuming. An editor sends back the revision it read, so an edit made from a stale read is refused.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>Optimistic-concurrency version; stores increment it on every successful update.</summary>
    public long Version { get; init; }

    /// <summary>This schedule with <paramref name="firing"/> recorded.</summary>
    public Schedule Record(ScheduleFiring firing) => this with { Firings = [.. Firings.Append(firing).TakeLast(FiringsKept)] };
}
