using CodyBatch.Commands;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Time.Testing;

namespace CodyBatch.Tests.Cli;

public sealed class RunProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static Job Working(string activity)
    {
        var job = JobLifecycle.TryClaim(JobLifecycle.Create("Fix", null, JobMode.Patch, "m", ["local/app"], T0), "local/app", "w", T0, TimeSpan.FromMinutes(1))!;
        var (renewed, _) = JobLifecycle.Renew(job, "local/app", "w", T0.AddSeconds(3), TimeSpan.FromMinutes(1), new TokenUsage(InputTokens: 1500, CostUsd: 0.02m), new LiveState(activity, null, 0));
        return renewed;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_live_view_shows_what_each_run_is_doing_now(bool live)
    {
        var output = new StringWriter();
        var time = new FakeTimeProvider(T0.AddSeconds(7));
        var progress = new RunProgress(output, live, time);

        await progress.DrawAsync(Working("turn 3 · search_code `query(`"));
        await progress.DrawAsync(Working("turn 4 · str_replace_based_edit_tool view `/repo/a.ts`"));

        var text = output.ToString();
        Assert.Contains("turn 3 · search_code `query(`", text, StringComparison.Ordinal);
        Assert.Contains("turn 4 · str_replace_based_edit_tool view `/repo/a.ts`", text, StringComparison.Ordinal);
        Assert.Contains(live ? "0:07" : "[0:07] local/app: fetching: turn 4", text, StringComparison.Ordinal);
    }
}
