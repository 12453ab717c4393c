using System.Globalization;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Commands;

/// <summary>
/// Shows where each repository run stands while a job runs: in a terminal, a table redrawn in
/// place; otherwise (output redirected, a log file, CI) one plain line whenever a run moves on.
/// </summary>
internal sealed class RunProgress(TextWriter output, bool live, TimeProvider time)
{
    private readonly Dictionary<string, (RunStatus Status, string? Activity)> _shown = new(StringComparer.OrdinalIgnoreCase);
    private int _liveLines;

    /// <summary>Polls the job and draws it until <paramref name="stop"/> fires, then draws it once more.</summary>
    public async Task FollowAsync(Func<CancellationToken, Task<Job?>> read, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await read(CancellationToken.None) is { } job)
            {
                await DrawAsync(job);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(live ? 200 : 100), time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (await read(CancellationToken.None) is { } last)
        {
            await DrawAsync(last);
        }
    }

    /// <summary>Draws <paramref name="job"/>: redraws the table in place, or writes a line per run that moved.</summary>
    public async Task DrawAsync(Job job)
    {
        var now = time.GetUtcNow();
        if (live)
        {
            var lines = job.Runs.Select(run => Line(run, now)).ToList();
            var text = (_liveLines > 0 ? $"\x1b[{_liveLines}A" : "") + string.Concat(lines.Select(l => $"\x1b[2K{l}\n"));
            _liveLines = lines.Count;
            await output.WriteAsync(text);
            await output.FlushAsync();
            return;
        }

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
            await output.WriteLineAsync($"[{Clock(now - since)}] {run.Repository}: {Status(run.Status)}{detail}");
        }

        await output.FlushAsync();
    }

    private static string Line(RepositoryRun run, DateTimeOffset now)
    {
        var elapsed = run.StartedAt is { } started ? Clock((run.FinishedAt ?? now) - started) : "-";
        return $"  {Fit(run.Repository, 32),-32} {Status(run.Status),-10} {elapsed,7} {Tokens(run.Usage),10} tok {Cost(run.Usage),9}{(run.Activity is null ? "" : "  " + Fit(run.Activity, 60))}";
    }

    public static string Status(RunStatus status) => status.ToString().ToLowerInvariant();

    public static string Tokens(TokenUsage usage) =>
        usage.TotalTokens.ToString("N0", CultureInfo.InvariantCulture);

    public static string Cost(TokenUsage usage) => "$" + usage.CostUsd.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string Clock(TimeSpan span) =>
        span < TimeSpan.Zero ? "0:00" : $"{(int)span.TotalMinutes}:{span.Seconds:00}";
}
