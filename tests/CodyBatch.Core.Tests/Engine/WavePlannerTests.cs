namespace CodyBatch.Core.Tests.Engine;

public sealed class WavePlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static Job NewJob(params string[] repositories) =>
        JobLifecycle.Create("Fix", null, JobMode.PullRequest, "m", repositories, Now);

    [Fact]
    public void The_rest_of_a_job_that_fits_in_the_free_slots_goes_with_its_first_run_in_the_jobs_order()
    {
        var job = JobLifecycle.TryClaim(NewJob("o/a", "o/b", "o/c", "o/d", "o/e"), "o/c", "w", Now, Lease)!;

        var rest = WavePlanner.RestOfJob(job, "o/c", freeSlots: 4, Now);

        Assert.Equal(["o/a", "o/b", "o/d", "o/e"], rest);
    }

    [Fact]
    public void A_job_that_does_not_fit_takes_nothing_more_so_the_fair_order_decides_the_next_claim()
    {
        var job = JobLifecycle.TryClaim(NewJob("o/a", "o/b", "o/c", "o/d", "o/e"), "o/a", "w", Now, Lease)!;

        Assert.Empty(WavePlanner.RestOfJob(job, "o/a", freeSlots: 3, Now));
        Assert.Empty(WavePlanner.RestOfJob(job, "o/a", freeSlots: 0, Now));
    }

    [Fact]
    public void Only_runs_that_can_be_claimed_count_ended_runs_and_live_leases_do_not_but_expired_leases_do()
    {
        var job = NewJob("o/done", "o/live", "o/expired", "o/queued", "o/first");
        job = JobLifecycle.TryClaim(job, "o/done", "w1", Now, Lease)!;
        job = JobLifecycle.Finish(job, "o/done", "w1", new RunOutcome { Status = RunStatus.Failed, Error = "x" }, Now);
        job = JobLifecycle.TryClaim(job, "o/live", "w2", Now, TimeSpan.FromMinutes(10))!;
        job = JobLifecycle.TryClaim(job, "o/expired", "w3", Now.AddMinutes(-5), Lease)!;
        job = JobLifecycle.TryClaim(job, "o/first", "w", Now, Lease)!;

        var rest = WavePlanner.RestOfJob(job, "o/first", freeSlots: 2, Now);

        Assert.Equal(["o/expired", "o/queued"], rest);
    }

    [Fact]
    public void A_job_of_one_run_has_no_rest()
    {
        var job = JobLifecycle.TryClaim(NewJob("o/a"), "o/a", "w", Now, Lease)!;

        Assert.Empty(WavePlanner.RestOfJob(job, "o/a", freeSlots: 8, Now));
    }
}
