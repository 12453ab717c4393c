using Cronos;

namespace CodyBatch.Core.Schedules;

/// <summary>
/// When a schedule fires: its cron expression read in its time zone, with daylight saving time
/// handled as Vixie cron does (a time skipped by the spring change fires at the change; a time
/// repeated by the autumn change fires once).
/// </summary>
public static class ScheduleCalendar
{
    /// <summary>Parses a cron expression (five fields, or six with seconds first, or a macro such as <c>@daily</c>); null with a message when it is not one.</summary>
    public static CronExpression? ParseCron(string? cron, out string? error)
    {
        error = null;
        var text = cron?.Trim() ?? "";
        var format = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (text.Length > 0 && CronExpression.TryParse(text, format, out var expression))
        {
            return expression;
        }

        error = $"'{cron}' is not a cron expression; write five fields (minute hour day-of-month month day-of-week), like '0 6 * * 1-5' for 06:00 on weekdays.";
        return null;
    }

    /// <summary>The time zone with IANA id <paramref name="timeZone"/>; null with a message when there is none.</summary>
    public static TimeZoneInfo? FindTimeZone(string? timeZone, out string? error)
    {
        error = null;
        if (!string.IsNullOrWhiteSpace(timeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out var zone))
        {
            return zone;
        }

        error = $"'{timeZone}' is not a known time zone; use an IANA name such as 'Europe/Berlin', 'America/New_York' or 'UTC'.";
        return null;
    }

    /// <summary>The next <paramref name="count"/> firings after <paramref name="after"/>, with the time zone's offset.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(Schedule schedule, DateTimeOffset after, int count)
    {
        var (cron, zone) = Parse(schedule);
        var firings = new List<DateTimeOffset>(count);
        for (var from = after; firings.Count < count && cron.GetNextOccurrence(from, zone) is { } next; from = next)
        {
            firings.Add(next);
        }

        return firings;
    }

    /// <summary>
    /// The shortest time between two of the next <paramref name="samples"/> firings after
    /// <paramref name="after"/>; null when it fires fewer than twice in them.
    /// </summary>
    public static TimeSpan? ShortestInterval(CronExpression cron, TimeZoneInfo zone, DateTimeOffset after, int samples = 500)
    {
        ArgumentNullException.ThrowIfNull(cron);
        TimeSpan? shortest = null;
        DateTimeOffset? previous = null;
        for (var (from, i) = (after, 0); i < samples && cron.GetNextOccurrence(from, zone) is { } next; (from, i) = (next, i + 1))
        {
            if (previous is { } before && (shortest is null || next - before < shortest))
            {
                shortest = next - before;
            }

            previous = next;
        }

        return shortest;
    }

    /// <summary>The firings in (<paramref name="after"/>, <paramref name="through"/>], oldest first.</summary>
    public static IReadOnlyList<DateTimeOffset> Between(Schedule schedule, DateTimeOffset after, DateTimeOffset through)
    {
        if (through <= after)
        {
            return [];
        }

        var (cron, zone) = Parse(schedule);
        return [.. cron.GetOccurrences(after, through, zone, fromInclusive: false, toInclusive: true)];
    }

    private static (CronExpression Cron, TimeZoneInfo Zone) Parse(Schedule schedule) =>
        (ParseCron(schedule.Cron, out var cronError) ?? throw new InvalidOperationException(cronError),
         FindTimeZone(schedule.TimeZone, out var zoneError) ?? throw new InvalidOperationException(zoneError));
}
