using CodyBatch.Commands;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Time.Testing;

namespace CodyBatch.Tests.Cli;

public sealed class RunProgressTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static Job Job(RunStatus first, RunStatus second) => JobLifecycle.Create("p", null, JobMode.Patch, "m", ["o/a", "o/b"], Start) with
    {
        StartedAt = Start,
        Runs =
        [
            new RepositoryRun { Repository = "o/a", Status = first, StartedAt = Start, Usage = new TokenUsage(1000, 234, CostUsd: 0.0123m) },
            new RepositoryRun { Repository = "o/b", Status = second },
        ],
    };

    [Fact]
    public async Task In_a_terminal_the_table_is_redrawn_in_place()
    {
        var output = new StringWriter();
        var time = new FakeTimeProvider(Start.AddSeconds(75));
        var progress = new RunProgress(output, live: true, time);

        await progress.DrawAsync(Job(RunStatus.Analyzing, RunStatus.Queued));
        await progress.DrawAsync(Job(RunStatus.Succeeded, RunStatus.Fetching));

        var text = output.ToString();
        var frames = text.Split("\x1b[2A");
        Assert.Equal(2, frames.Length);
        Assert.Matches(@"o/a\s+analyzing\s+1:15\s+1,234 tok\s+\$0\.0123", frames[0]);
        Assert.Matches(@"o/b\s+queued\s+-", frames[0]);
        Assert.Matches(@"o/b\s+fetching", frames[1]);
        Assert.Equal(4, text.Split("\x1b[2K").Length - 1);
    }

    [Fact]
    public async Task Redirected_output_gets_one_line_per_change()
    {
        var output = new StringWriter();
        var progress = new RunProgress(output, live: false, new FakeTimeProvider(Start.AddSeconds(5)));

        await progress.DrawAsync(Job(RunStatus.Analyzing, RunStatus.Queued));
        await progress.DrawAsync(Job(RunStatus.Analyzing, RunStatus.Queued));
        await progress.DrawAsync(Job(RunStatus.Succeeded, RunStatus.Queued));

        Assert.Equal(
            ["[0:05] o/a: analyzing", "[0:05] o/b: queued", "[0:05] o/a: succeeded (1,234 tokens, $0.0123)"],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
