using CodyBatch.Core.Jobs;
using Spectre.Console.Testing;

namespace CodyBatch.Tests.Cli;

public sealed class RunProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static Job Working(string activity)
    {
        var job = JobLifecycle.TryClaim(JobLifecycle.Create("Fix", null, JobMode.Patch, "m", ["local/app", "local/lib"], T0), "local/app", "w", T0, TimeSpan.FromMinutes(1))!;
        var (renewed, _) = JobLifecycle.Renew(job, "local/app", "w", T0.AddSeconds(3), TimeSpan.FromMinutes(1), new TokenUsage(InputTokens: 1500, CostUsd: 0.02m), new LiveState(activity, null, 0));
        return renewed;
    }

    [Fact]
    public async Task Redirected_output_gets_one_plain_line_per_change()
    {
        var output = new StringWriter();
        var progress = new RunProgress(output, null, new ObservedClock(T0.AddSeconds(7)));

        await progress.DrawAsync(Working("turn 3 · search_code `query(`"));
        await progress.DrawAsync(Working("turn 3 · search_code `query(`"));
        await progress.DrawAsync(Working("turn 4 · str_replace_based_edit_tool view `/repo/a.ts`"));

        Assert.Equal(
            [
                "[0:07] local/app: fetching: turn 3 · search_code `query(`",
                "[0:07] local/lib: queued",
                "[0:07] local/app: fetching: turn 4 · str_replace_based_edit_tool view `/repo/a.ts`",
            ],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("\x1b[", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_terminal_gets_a_table_redrawn_in_place_as_the_runs_move_on()
    {
        var clock = new ObservedClock(T0.AddSeconds(7));
        var console = new TestConsole().Width(140).EmitAnsiSequences();
        var lines = new StringWriter();
        var progress = new RunProgress(lines, console, clock);
        var states = new Queue<Job>([Working("turn 3 · search_code `query(`"), Working("turn 4 · [red]view[/] `/repo/a.ts`")]);
        Job? current = null;
        using var stop = new CancellationTokenSource();

        var following = progress.FollowAsync(_ => Task.FromResult(current = states.Count > 0 ? states.Dequeue() : current), stop.Token);
        await clock.ArmedAsync(RunProgress.LiveInterval);
        var first = console.Output;
        clock.Advance(RunProgress.LiveInterval);
        await clock.ArmedAsync(RunProgress.LiveInterval);
        await stop.CancelAsync();
        await following.Expect("The live view ending");

        var text = console.Output;
        Assert.Contains("Repository", first, StringComparison.Ordinal);
        Assert.Contains("turn 3 · search_code `query(`", first, StringComparison.Ordinal);
        Assert.DoesNotContain("turn 4", first, StringComparison.Ordinal);
        // The second drawing replaces the first: the cursor moves back up over the table.
        Assert.Contains("turn 4 · [red]view[/] `/repo/a.ts`", text[first.Length..], StringComparison.Ordinal);
        Assert.Matches(@"\x1b\[\d*A", text[first.Length..]);
        // A row per run (colours between the cells): claimed seven seconds ago, and one still queued.
        Assert.Matches(@"local/app .*fetching.* 0:07 .* 1,500 .* \$0\.0200", text);
        Assert.Matches(@"local/lib .*queued.* - .* 0 .* \$0\.0000", text);
        Assert.Equal("", lines.ToString());
    }
}
