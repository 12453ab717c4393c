namespace CodyBatch.Core.Tests;

public sealed class JobLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static Job NewJob(params string[] repositories) =>
        JobLifecycle.Create("Fix", null, JobMode.PullRequest, "m", repositories.Length == 0 ? ["o/a", "o/b"] : repositories, Now);

    private static Job Succeed(Job job, string repository, string worker = "w")
    {
        job = JobLifecycle.TryClaim(job, repository, worker, Now, Lease)!;
        job = JobLifecycle.Advance(job, repository, worker, RunStatus.Analyzing, Now);
        job = JobLifecycle.Advance(job, repository, worker, RunStatus.Publishing, Now);
        return JobLifecycle.Finish(job, repository, worker, new RunOutcome { Status = RunStatus.Succeeded, WereChangesNecessary = false }, Now);
    }

    private static Job Fail(Job job, string repository)
    {
        job = JobLifecycle.TryClaim(job, repository, "w", Now, Lease)!;
        return JobLifecycle.Finish(job, repository, "w", new RunOutcome { Status = RunStatus.Failed, Error = "broken" }, Now);
    }

    [Fact]
    public void A_new_job_is_queued_with_sortable_id_and_queued_runs()
    {
        var job = NewJob();

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.True(JobId.IsValid(job.Id));
        Assert.All(job.Runs, r => Assert.Equal(RunStatus.Queued, r.Status));
    }

    [Fact]
    public void Claiming_starts_the_job_and_owns_the_run_with_a_lease()
    {
        var job = JobLifecycle.TryClaim(NewJob(), "o/a", "w1", Now, Lease)!;

        var run = job.FindRun("o/a")!;
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(Now, job.StartedAt);
        Assert.Equal(RunStatus.Fetching, run.Status);
        Assert.Equal(1, run.Attempts);
        Assert.True(run.IsOwnedBy("w1", Now));
        Assert.False(run.IsOwnedBy("w2", Now));
        Assert.Null(JobLifecycle.TryClaim(job, "o/a", "w2", Now.AddSeconds(29), Lease));
    }

    [Fact]
    public void An_expired_lease_lets_another_worker_take_over_and_the_old_owner_is_locked_out()
    {
        var job = JobLifecycle.TryClaim(NewJob(), "o/a", "dead", Now, Lease)!;
        job = JobLifecycle.Advance(job, "o/a", "dead", RunStatus.Analyzing, Now);

        var taken = JobLifecycle.TryClaim(job, "o/a", "alive", Now + Lease, Lease)!;

        Assert.Equal(RunStatus.Fetching, taken.FindRun("o/a")!.Status);
        Assert.Equal(2, taken.FindRun("o/a")!.Attempts);
        Assert.Throws<LeaseLostException>(() => JobLifecycle.Advance(taken, "o/a", "dead", RunStatus.Publishing, Now));
        Assert.Equal(JobLifecycle.RenewResult.Lost, JobLifecycle.Renew(taken, "o/a", "dead", Now, Lease).Result);
    }

    [Fact]
    public void Final_runs_are_never_claimed_again()
    {
        var job = Succeed(NewJob(), "o/a");

        Assert.Null(JobLifecycle.TryClaim(job, "o/a", "w", Now.AddDays(1), Lease));
        Assert.Throws<InvalidTransitionException>(() => JobLifecycle.Retry(job, "o/a", Now));
    }

    [Theory]
    [InlineData(RunStatus.Queued, RunStatus.Succeeded)]
    [InlineData(RunStatus.Queued, RunStatus.Analyzing)]
    [InlineData(RunStatus.Fetching, RunStatus.Succeeded)]
    [InlineData(RunStatus.Analyzing, RunStatus.Succeeded)]
    [InlineData(RunStatus.Succeeded, RunStatus.Queued)]
    [InlineData(RunStatus.Succeeded, RunStatus.Failed)]
    [InlineData(RunStatus.Failed, RunStatus.Succeeded)]
    [InlineData(RunStatus.Cancelled, RunStatus.Fetching)]
    public void Transitions_outside_the_lifecycle_are_refused(RunStatus from, RunStatus to) =>
        Assert.False(JobLifecycle.CanMove(from, to));

    [Fact]
    public void Advancing_to_success_must_pass_through_publishing()
    {
        var job = JobLifecycle.TryClaim(NewJob(), "o/a", "w", Now, Lease)!;

        Assert.Throws<InvalidTransitionException>(() =>
            JobLifecycle.Finish(job, "o/a", "w", new RunOutcome { Status = RunStatus.Succeeded }, Now));
    }

    [Fact]
    public void Job_status_follows_its_runs()
    {
        var job = NewJob("o/a", "o/b", "o/c");
        Assert.Equal(JobStatus.Queued, job.Status);

        job = Succeed(job, "o/a");
        Assert.Equal(JobStatus.Running, job.Status);

        job = Fail(job, "o/b");
        job = Fail(job, "o/c");
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.NotNull(job.FinishedAt);

        var allFailed = Fail(Fail(NewJob(), "o/a"), "o/b");
        Assert.Equal(JobStatus.Failed, allFailed.Status);
    }

    [Fact]
    public void Cancel_ends_queued_runs_at_once_and_asks_active_ones_to_stop()
    {
        var job = JobLifecycle.TryClaim(NewJob("o/a", "o/b", "o/c"), "o/a", "w", Now, Lease)!;
        job = Succeed(job, "o/c");

        job = JobLifecycle.Cancel(job, Now);

        Assert.True(job.FindRun("o/a")!.CancelRequested);
        Assert.Equal(RunStatus.Fetching, job.FindRun("o/a")!.Status);
        Assert.Equal(RunStatus.Cancelled, job.FindRun("o/b")!.Status);
        Assert.Equal(RunStatus.Succeeded, job.FindRun("o/c")!.Status);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(JobLifecycle.RenewResult.CancelRequested, JobLifecycle.Renew(job, "o/a", "w", Now, Lease).Result);

        job = JobLifecycle.Finish(job, "o/a", "w", new RunOutcome { Status = RunStatus.Cancelled, Error = "Cancelled by a user." }, Now);
        // o/c succeeded before the cancel, so the job completed; its counts show the two cancelled runs.
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(JobStatus.Cancelled, JobLifecycle.Cancel(NewJob("o/a"), Now).Status);
    }

    [Fact]
    public void A_cancelled_job_completes_when_a_retried_run_succeeds()
    {
        var job = JobLifecycle.Cancel(NewJob("o/a", "o/b"), Now);
        Assert.Equal(JobStatus.Cancelled, job.Status);

        job = JobLifecycle.Retry(job, "o/a", Now);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Null(job.FinishedAt);
        job = Succeed(job, "o/a");

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public void One_run_can_be_cancelled_on_its_own()
    {
        var job = JobLifecycle.TryClaim(NewJob("o/a", "o/b", "o/c"), "o/a", "w", Now, Lease)!;
        job = Succeed(job, "o/c");

        job = JobLifecycle.CancelRun(job, "o/b", Now);
        job = JobLifecycle.CancelRun(job, "o/a", Now);

        Assert.Equal(RunStatus.Cancelled, job.FindRun("o/b")!.Status);
        Assert.True(job.FindRun("o/a")!.CancelRequested);
        Assert.Equal(RunStatus.Fetching, job.FindRun("o/a")!.Status);
        Assert.False(job.FindRun("o/c")!.CancelRequested);
        Assert.Throws<InvalidTransitionException>(() => JobLifecycle.CancelRun(job, "o/c", Now));
    }

    [Fact]
    public void Renewal_records_what_a_run_is_doing_and_how_much_thread_is_stored()
    {
        var job = JobLifecycle.TryClaim(NewJob("o/a"), "o/a", "w", Now, Lease)!;

        var (renewed, result) = JobLifecycle.Renew(
            job, "o/a", "w", Now.AddSeconds(5), Lease, new TokenUsage(InputTokens: 7), new LiveState("turn 2 · search_code `x`", "jobs/j/o/a/thread.json", 4));
        var (plain, _) = JobLifecycle.Renew(renewed, "o/a", "w", Now.AddSeconds(6), Lease);

        Assert.Equal(JobLifecycle.RenewResult.Renewed, result);
        var run = renewed.FindRun("o/a")!;
        Assert.Equal("turn 2 · search_code `x`", run.Activity);
        Assert.Equal("jobs/j/o/a/thread.json", run.ThreadArtifact);
        Assert.Equal(4, run.ThreadEntries);
        Assert.Equal(7, run.Usage.InputTokens);
        Assert.Equal(4, plain.FindRun("o/a")!.ThreadEntries);
        Assert.Equal("turn 2 · search_code `x`", plain.FindRun("o/a")!.Activity);
    }

    [Fact]
    public void A_cancelled_run_whose_worker_died_is_cancelled_instead_of_claimed()
    {
        var job = JobLifecycle.Cancel(JobLifecycle.TryClaim(NewJob(), "o/a", "dead", Now, Lease)!, Now);

        job = JobLifecycle.TryClaim(job, "o/a", "alive", Now + Lease, Lease)!;

        Assert.Equal(RunStatus.Cancelled, job.FindRun("o/a")!.Status);
        Assert.Equal(1, job.FindRun("o/a")!.Attempts);
    }

    [Fact]
    public void Retry_queues_a_failed_run_again_and_keeps_its_usage_and_attempts()
    {
        var job = JobLifecycle.TryClaim(NewJob(), "o/a", "w", Now, Lease)!;
        job = JobLifecycle.Finish(job, "o/a", "w", new RunOutcome { Status = RunStatus.Failed, Error = "x", Usage = new TokenUsage(5) }, Now);
        job = Fail(job, "o/b");
        Assert.Equal(JobStatus.Failed, job.Status);

        job = JobLifecycle.Retry(job, "O/A", Now);

        var run = job.FindRun("o/a")!;
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Null(run.Error);
        Assert.Equal(5, run.Usage.InputTokens);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Null(job.FinishedAt);
    }

    [Fact]
    public void Release_gives_an_owned_run_back_to_the_queue()
    {
        var job = JobLifecycle.TryClaim(NewJob(), "o/a", "w", Now, Lease)!;

        job = JobLifecycle.Release(job, "o/a", "w", Now);

        Assert.Equal(RunStatus.Queued, job.FindRun("o/a")!.Status);
        Assert.Null(job.FindRun("o/a")!.LeaseOwner);
        Assert.NotNull(JobLifecycle.TryClaim(job, "o/a", "w2", Now, Lease));
    }
}
