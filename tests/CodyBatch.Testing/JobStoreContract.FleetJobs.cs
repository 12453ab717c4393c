namespace CodyBatch.Testing;

/// <summary>What every store keeps of the job-level parts of fleet work: triage answers, job budgets.</summary>
public abstract partial class JobStoreContract
{
    [Fact]
    public async Task A_triage_job_and_its_answer_read_back()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(T0, repositories: ["octo/one"]) with { Mode = JobMode.Triage, BudgetUsd = 12.345m };
        await store.CreateAsync(job, CancellationToken.None);
        var claimed = JobLifecycle.TryClaim(job, "octo/one", "w1", T0, TimeSpan.FromSeconds(30))!;
        var answer = new TriageAnswer(true, "src/a.py imports **legacy** — ünïcødé", 0.75);
        var finished = JobLifecycle.Finish(
            JobLifecycle.Advance(JobLifecycle.Advance(claimed, "octo/one", "w1", RunStatus.Analyzing, T0), "octo/one", "w1", RunStatus.Publishing, T0),
            "octo/one",
            "w1",
            new RunOutcome { Status = RunStatus.Succeeded, WereChangesNecessary = true, Summary = answer.Reason, Triage = answer, Usage = new TokenUsage(10, 2, 0, 0, 0.0021m) },
            T0.AddSeconds(3));
        await store.TryUpdateAsync(finished, CancellationToken.None);

        var read = await store.GetAsync(job.Id, CancellationToken.None);

        Assert.Equal(JobMode.Triage, read!.Mode);
        Assert.Equal(12.345m, read.BudgetUsd);
        Assert.Null((await store.GetAsync((await CreateBudgetlessAsync(store)).Id, CancellationToken.None))!.BudgetUsd);
        Assert.Equal(answer, read.Runs[0].Triage);
        Assert.Equal(0.0021m, read.Runs[0].Usage.CostUsd);
    }

    private static async Task<Job> CreateBudgetlessAsync(IJobStore store)
    {
        var job = NewJob(T0.AddSeconds(1), repositories: ["octo/two"]);
        await store.CreateAsync(job, CancellationToken.None);
        return job;
    }
}
