using CodyBatch.Core.Schedules;

namespace CodyBatch.Schedules;

/// <summary>
/// A schedule as the API shows it: its specification, its next firings and what its past firings did (newest first).
/// <c>shell</c> (false: its jobs get no shell) and <c>network</c> (<c>registries</c> or <c>none</c>) are null when it leaves them
/// to its saved prompt, else to the server. <c>revision</c> counts the edits of its specification: an editor sends it back
/// as <c>If-Match: "revision"</c> (the <c>ETag</c> of <c>GET /api/schedules/{id}</c>), so a stale edit is refused.
/// </summary>
public sealed record ScheduleResponse(
    string Id,
    string Name,
    string? Prompt,
    string? SavedPromptId,
    IReadOnlyList<string> Repositories,
    JobMode? Mode,
    IReadOnlyList<string> Checks,
    string? Model,
    decimal? BudgetUsd,
    bool? Shell,
    string? Network,
    string Cron,
    string TimeZone,
    bool Enabled,
    string? CampaignId,
    string? LastJobId,
    IReadOnlyList<DateTimeOffset> NextFirings,
    IReadOnlyList<ScheduleFiring> Firings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Author,
    long Revision)
{
    /// <summary>How many next firings a response lists.</summary>
    public const int NextCount = 5;

    public static ScheduleResponse From(Schedule s, DateTimeOffset now) => new(
        s.Id,
        s.Name,
        s.Prompt,
        s.SavedPromptId,
        s.Repositories,
        s.Mode,
        s.Checks,
        s.Model,
        s.BudgetUsd,
        s.Shell,
        s.Network is { } network ? JobRequestValidator.NetworkText(network) : null,
        s.Cron,
        s.TimeZone,
        s.Enabled,
        s.CampaignId,
        s.LastJobId,
        s.Enabled ? ScheduleCalendar.Next(s, now > s.CheckedThrough ? now : s.CheckedThrough, NextCount) : [],
        [.. s.Firings.Reverse()],
        s.CreatedAt,
        s.UpdatedAt,
        s.Author,
        s.Revision);

    /// <summary>The schedule's entity tag: its revision, quoted.</summary>
    public static string Tag(Schedule s) => $"\"{s.Revision}\"";
}
