using Spectre.Console;
using Spectre.Console.Rendering;

namespace CodyBatch.Commands;

/// <summary>
/// Shows where each repository run stands while a job runs: in a terminal, a Spectre.Console table
/// redrawn in place (<paramref name="live"/>); otherwise (output redirected, a log file, CI) one plain
/// line on <paramref name="lines"/> whenever a run moves on.
/// </summary>
internal sealed class RunProgress(TextWriter lines, IAnsiConsole? live, TimeProvider time)
{
    /// <summary>How often the job is read again while it runs.</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the job is read again when writing lines (a change shorter than this may pass unseen).</summary>
    public static readonly TimeSpan LineInterval = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, (RunStatus Status, string? Activity)> _shown = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the job and draws it until <paramref name="stop"/> fires, then draws it once more.</summary>
    public async Task FollowAsync(Func<CancellationToken, Task<Job?>> read, CancellationToken stop)
    {
        if (live is null)
        {
            await FollowAsync(read, LineInterval, DrawAsync, stop);
            return;
        }

        await live.Live(new Text("")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(context =>
            FollowAsync(
                read,
                LiveInterval,
                job =>
                {
                    context.UpdateTarget(View(job, time.GetUtcNow()));
                    context.Refresh();
                    return Task.CompletedTask;
                },
                stop));
    }

    private async Task FollowAsync(Func<CancellationToken, Task<Job?>> read, TimeSpan interval, Func<Job, Task> draw, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await read(CancellationToken.None) is { } job)
            {
                await draw(job);
            }

            try
            {
                await Task.Delay(interval, time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (await read(CancellationToken.None) is { } last)
        {
            await draw(last);
        }
    }

    /// <summary>The live view of <paramref name="job"/> at <paramref name="now"/>: a row per run. Repository text is shown as text, never as markup.</summary>
    public static Table View(Job job, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Repository")
            .AddColumn("Status")
            .AddColumn(new TableColumn("Time").RightAligned())
            .AddColumn(new TableColumn("Tokens").RightAligned())
            .AddColumn(new TableColumn("Cost").RightAligned())
            .AddColumn("Doing");
        foreach (var run in job.Runs)
        {
            var elapsed = run.StartedAt is { } started ? Clock((run.FinishedAt ?? now) - started) : "-";
            table.AddRow(
                new IRenderable[]
                {
                    new Text(Fit(run.Repository, 32)),
                    new Text(Status(run.Status), new Style(StatusColor(run.Status))),
                    new Text(elapsed),
                    new Text(Tokens(run.Usage)),
                    new Text(Cost(run.Usage)),
                    new Text(run.Activity is null ? "" : Fit(run.Activity, 60)),
                });
        }

        return table;
    }

    /// <summary>Writes a line per run that moved since the last call.</summary>
    public async Task DrawAsync(Job job)
    {
        var now = time.GetUtcNow();
        foreach (var run in job.Runs)
        {
            if (_shown.TryGetValue(run.Repository, out var shown) && shown == (run.Status, run.Activity))
            {
                continue;
            }

            _shown[run.Repository] = (run.Status, run.Activity);
            var since = job.StartedAt ?? job.CreatedAt;
            var detail = run.Status switch
            {
                RunStatus.Succeeded or RunStatus.Incomplete => $" ({Tokens(run.Usage)} tokens, {Cost(run.Usage)})",
                RunStatus.Failed or RunStatus.Cancelled when run.Error is not null => $": {run.Error}",
                _ when run.Activity is not null => $": {run.Activity}",
                _ => "",
            };
            await lines.WriteLineAsync($"[{Clock(now - since)}] {run.Repository}: {Status(run.Status)}{detail}");
        }

        await lines.FlushAsync();
    }

    private static Color StatusColor(RunStatus status) => status switch
    {
        RunStatus.Succeeded => Color.Green,
        RunStatus.Failed => Color.Red,
        RunStatus.Incomplete or RunStatus.Cancelled => Color.Yellow,
        _ => Color.Default,
    };

    public static string Status(RunStatus status) => status.ToString().ToLowerInvariant();

    public static string Tokens(TokenUsage usage) =>
        usage.TotalTokens.ToString("N0", CultureInfo.InvariantCulture);

    public static string Cost(TokenUsage usage) => "$" + usage.CostUsd.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string Clock(TimeSpan span) =>
        span < TimeSpan.Zero ? "0:00" : $"{(int)span.TotalMinutes}:{span.Seconds:00}";
}
