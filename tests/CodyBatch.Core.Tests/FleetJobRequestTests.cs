namespace CodyBatch.Core.Tests;

public sealed class FleetJobRequestTests
{
    private static JobRequestValidator Validator() => new(
        Options.Create(new CodyBatchOptions { DefaultModel = "claude-sonnet-4-5" }),
        triageOptions: Options.Create(new TriageOptions { TriageModel = "claude-haiku-4-5" }));

    [Fact]
    public void A_triage_job_takes_the_triage_model_unless_it_names_one()
    {
        var plain = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], Mode = "triage" });
        var named = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], Mode = "triage", Model = "claude-opus-4-5" });
        var fix = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"] });

        Assert.Equal((JobMode.Triage, "claude-haiku-4-5"), (plain.Request!.Mode, plain.Request.Model));
        Assert.Equal("claude-opus-4-5", named.Request!.Model);
        Assert.Equal("claude-sonnet-4-5", fix.Request!.Model);
    }

    [Fact]
    public void A_triage_run_cannot_be_published_later()
    {
        var job = JobLifecycle.Create("x", null, JobMode.Triage, "claude-haiku-4-5", ["o/r"], DateTimeOffset.UnixEpoch);

        var (published, problem) = JobLifecycle.RequestPublish(job, "o/r", DateTimeOffset.UnixEpoch);

        Assert.Null(published);
        Assert.Contains("triage job", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.01", true)]
    [InlineData("10000", true)]
    [InlineData("0.009", false)]
    [InlineData("10000.5", false)]
    public void A_jobs_budget_is_taken_between_a_cent_and_ten_thousand_dollars(string text, bool valid)
    {
        var budget = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        var result = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], BudgetUsd = budget });

        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid ? budget : null, result.Request?.BudgetUsd);
        Assert.Equal(valid ? null : $"The job's budget is ${text}; give between $0.01 and $10,000 (US dollars, all its runs together), or leave it out for none.", result.Errors.GetValueOrDefault("budgetUsd")?.Single());
    }

    [Fact]
    public void A_rerun_carries_the_budget_and_what_was_spent_is_counted_outside_the_attempt()
    {
        var job = JobLifecycle.Create("x", null, JobMode.PullRequest, "m", ["o/a", "o/b"], DateTimeOffset.UnixEpoch) with { BudgetUsd = 3m };
        job = job with { Runs = [job.Runs[0] with { Usage = new Runs.TokenUsage(1, 1, 0, 0, 1.25m) }, job.Runs[1] with { Usage = new Runs.TokenUsage(1, 1, 0, 0, 0.5m) }] };

        var budget = JobBudget.For(job, job.Runs[1])!;

        Assert.Equal(3m, JobLifecycle.Rerun(job, DateTimeOffset.UnixEpoch).BudgetUsd);
        Assert.Equal(1.75m, budget.SpentElsewhere);
        Assert.Equal(1.25m, budget.Left(0));
        Assert.Null(budget.Spent(1.24m));
        Assert.NotNull(budget.Spent(1.25m));
        budget.Observe(1.0m);
        Assert.Equal(1.75m, budget.SpentElsewhere);
        Assert.Null(JobBudget.For(job with { BudgetUsd = null }, job.Runs[0]));
    }
}
