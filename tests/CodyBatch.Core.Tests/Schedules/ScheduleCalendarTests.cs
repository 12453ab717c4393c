using CodyBatch.Core.Schedules;

namespace CodyBatch.Core.Tests.Schedules;

public sealed class ScheduleCalendarTests
{
    private static Schedule Daily(string cron, string zone, DateTimeOffset at) => new()
    {
        Id = "schedule-x",
        Name = "n",
        Prompt = "p",
        Repositories = ["octo/app"],
        Cron = cron,
        TimeZone = zone,
        CheckedThrough = at,
        CreatedAt = at,
        UpdatedAt = at,
    };

    [Fact]
    public void Next_firings_follow_the_wall_clock_across_the_spring_change_in_berlin()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));

        var next = ScheduleCalendar.Next(Daily("0 9 * * *", "Europe/Berlin", time.GetUtcNow()), time.GetUtcNow(), 3);

        // 09:00 every day: 08:00 UTC in winter time, 07:00 UTC from 29 March (summer time).
        Assert.Equal(
            [DateTimeOffset.Parse("2026-03-28T09:00:00+01:00"), DateTimeOffset.Parse("2026-03-29T09:00:00+02:00"), DateTimeOffset.Parse("2026-03-30T09:00:00+02:00")],
            next);
        Assert.Equal([8, 7, 7], next.Select(n => n.UtcDateTime.Hour));
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(2)], next.Select(n => n.Offset));
    }

    [Fact]
    public void A_time_the_spring_change_skips_fires_at_the_change_and_one_the_autumn_change_repeats_fires_once()
    {
        var spring = new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);
        var autumn = new DateTimeOffset(2026, 10, 23, 12, 0, 0, TimeSpan.Zero);

        var springNext = ScheduleCalendar.Next(Daily("30 2 * * *", "Europe/Berlin", spring), spring, 3);
        var autumnNext = ScheduleCalendar.Next(Daily("30 2 * * *", "Europe/Berlin", autumn), autumn, 3);

        // 02:30 does not exist on 29 March (02:00 → 03:00): it fires at 03:00 summer time, once.
        Assert.Equal(
            [DateTimeOffset.Parse("2026-03-28T02:30:00+01:00"), DateTimeOffset.Parse("2026-03-29T03:00:00+02:00"), DateTimeOffset.Parse("2026-03-30T02:30:00+02:00")],
            springNext);

        // 02:30 happens twice on 25 October (03:00 → 02:00): it fires once, at the first.
        Assert.Equal(
            [DateTimeOffset.Parse("2026-10-24T02:30:00+02:00"), DateTimeOffset.Parse("2026-10-25T02:30:00+02:00"), DateTimeOffset.Parse("2026-10-26T02:30:00+01:00")],
            autumnNext);
    }

    [Fact]
    public void Firings_between_two_times_across_the_change_in_new_york_are_each_hour_once()
    {
        var from = new DateTimeOffset(2026, 3, 8, 5, 30, 0, TimeSpan.Zero); // 00:30 EST
        var through = new DateTimeOffset(2026, 3, 8, 8, 30, 0, TimeSpan.Zero); // 04:30 EDT

        var between = ScheduleCalendar.Between(Daily("0 * * * *", "America/New_York", from), from, through);

        // 02:00 does not exist that night: 01:00 EST, then 03:00 EDT and 04:00 EDT, one hour apart in UTC.
        Assert.Equal(
            [DateTimeOffset.Parse("2026-03-08T01:00:00-05:00"), DateTimeOffset.Parse("2026-03-08T03:00:00-04:00"), DateTimeOffset.Parse("2026-03-08T04:00:00-04:00")],
            between);
    }

    [Theory]
    [InlineData("0 6 * * 1-5", null)]
    [InlineData("*/15 * * * * *", null)]
    [InlineData("@daily", null)]
    [InlineData("0 6 * *", "is not a cron expression")]
    [InlineData("61 * * * *", "is not a cron expression")]
    [InlineData("", "is not a cron expression")]
    public void Cron_expressions_are_checked_with_a_message_that_shows_the_format(string cron, string? error)
    {
        var parsed = ScheduleCalendar.ParseCron(cron, out var message);

        Assert.Equal(error is null, parsed is not null);
        if (error is not null)
        {
            Assert.Contains(error, message, StringComparison.Ordinal);
            Assert.Contains("'0 6 * * 1-5'", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_with_examples()
    {
        Assert.Null(ScheduleCalendar.FindTimeZone("Mars/Olympus", out var error));
        Assert.Contains("Europe/Berlin", error, StringComparison.Ordinal);
        Assert.NotNull(ScheduleCalendar.FindTimeZone("Asia/Kolkata", out _));
    }
}
