using CodyBatch.Core.Jobs;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Claude.Tests;

/// <summary>The job's dollar budget as the agent keeps it: the run's cap, and the job's other runs spending from it meanwhile.</summary>
public sealed class JobBudgetTests
{
    // 20,000 input tokens on Sonnet 4.5 ($3 per million) and 100 output ($15 per million) cost $0.0615 a turn.
    private static FakeReply Looking(long input = 20_000) =>
        ((MessageReply)Message(ToolUse("find_files", new JsonObject { ["pattern"] = "**/*" }))).WithUsage(new FakeUsage(input, 100));

    [Fact]
    public async Task What_is_left_of_the_jobs_budget_caps_the_run_below_the_servers_run_budget()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxCostUsd = 5m });
        harness.Api.Fallback = _ => Looking(10_000);

        // $1.00 budget, $0.90 spent by the job's other runs: this run may spend $0.10 at $0.0315 a turn, so it is asked to
        // wrap up at 85% of that ($0.085, after its third turn) and stops after its fourth.
        var outcome = await harness.RunAsync(jobBudget: new JobBudget(1.00m, 0.90m));

        Assert.True(outcome.IsIncomplete);
        Assert.Equal(4, harness.Api.Requests.Count);
        Assert.StartsWith("The job's budget of $1.00 (budgetUsd) is spent: its runs have cost $1.03.", outcome.FailureReason, StringComparison.Ordinal);
        var wrapUp = harness.ThreadJson()["entries"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "wrap_up")!;
        Assert.Equal(4, wrapUp["turn"]!.GetValue<int>());
        Assert.Equal("the run has cost $0.09 of its $0.10 budget", wrapUp["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_in_flight_stops_gracefully_once_the_jobs_other_runs_have_spent_the_budget()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxCostUsd = 5m });
        var budget = new JobBudget(2.00m, 0m);
        harness.Api.Fallback = request =>
        {
            // While this run waits for its second answer, the job's other runs are seen to have spent $1.99.
            if (harness.Api.Requests.Count == 2)
            {
                budget.Observe(1.99m);
            }

            return Looking();
        };

        var outcome = await harness.RunAsync(jobBudget: budget);

        Assert.True(outcome.IsIncomplete);
        Assert.Equal(2, harness.Api.Requests.Count);
        Assert.StartsWith("The job's budget of $2.00 (budgetUsd) is spent: its runs have cost $2.11.", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Equal(1.99m, budget.SpentElsewhere);
    }

    [Fact]
    public async Task A_job_budget_above_the_servers_run_budget_leaves_the_servers_cap_in_force()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxCostUsd = 0.10m });
        harness.Api.Fallback = _ => Looking();

        var outcome = await harness.RunAsync(jobBudget: new JobBudget(100m, 0m));

        Assert.True(outcome.IsIncomplete);
        Assert.Equal(2, harness.Api.Requests.Count);
        Assert.StartsWith("The run cost $0.12, its budget of $0.10 (CodyBatch:Agent:MaxCostUsd)", outcome.FailureReason, StringComparison.Ordinal);
    }
}
