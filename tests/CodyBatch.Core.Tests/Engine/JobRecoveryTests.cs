using Microsoft.Extensions.Hosting;

namespace CodyBatch.Core.Tests.Engine;

/// <summary>What happens to work when the process that owned it went away.</summary>
public sealed class JobRecoveryTests : IDisposable
{
    private readonly TempDirectory _data = new("codybatch-recovery");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Runs_whose_lease_expired_are_taken_over_and_final_runs_are_never_redone()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/done", "acme/orphan", "acme/queued");
        string jobId;

        // A process claimed two runs, finished one and died holding the other.
        await using (var before = await EngineHarness.StartAsync(_data.Path, host, ScriptedCodeAgent.Hanging(), worker: false))
        {
            jobId = (await before.CreateAsync("acme/done", "acme/orphan", "acme/queued")).Id;
            var past = DateTimeOffset.UtcNow.AddMinutes(-5);
            await before.Store.UpdateAsync(jobId, job => JobLifecycle.TryClaim(job, "acme/done", "dead-worker", past, TimeSpan.FromSeconds(30)), CancellationToken.None);
            await before.Store.UpdateAsync(jobId, job => JobLifecycle.Advance(job, "acme/done", "dead-worker", RunStatus.Analyzing, past), CancellationToken.None);
            await before.Store.UpdateAsync(jobId, job => JobLifecycle.Advance(job, "acme/done", "dead-worker", RunStatus.Publishing, past), CancellationToken.None);
            await before.Store.UpdateAsync(
                jobId,
                job => JobLifecycle.Finish(job, "acme/done", "dead-worker", new RunOutcome { Status = RunStatus.Succeeded, WereChangesNecessary = false, Summary = "Already fine." }, past),
                CancellationToken.None);
            await before.Store.UpdateAsync(jobId, job => JobLifecycle.TryClaim(job, "acme/orphan", "dead-worker", past, TimeSpan.FromSeconds(30)), CancellationToken.None);
        }

        var agent = ScriptedCodeAgent.AppendingTo("README.md");
        await using var after = await EngineHarness.StartAsync(_data.Path, host, agent);
        var ended = await after.WaitForEndAsync(jobId);

        Assert.Equal(JobStatus.Completed, ended.Status);
        var done = ended.FindRun("acme/done")!;
        Assert.Equal("Already fine.", done.Summary);
        Assert.Equal(1, done.Attempts);
        var orphan = ended.FindRun("acme/orphan")!;
        Assert.Equal(RunStatus.Succeeded, orphan.Status);
        Assert.Equal(2, orphan.Attempts);
        Assert.Equal(RunStatus.Succeeded, ended.FindRun("acme/queued")!.Status);
        Assert.Equal(2, agent.Calls);
        Assert.DoesNotContain("acme/done", host.Fetched);
    }

    [Fact]
    public async Task A_live_lease_held_by_another_worker_is_left_alone_until_it_expires()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, ScriptedCodeAgent.AppendingTo("README.md"), worker: false, paused: true, configure: s => s.AddSingleton<TimeProvider>(time));
        var jobId = (await engine.CreateAsync("acme/api")).Id;
        var lease = TimeSpan.FromSeconds(2);
        await engine.Store.UpdateAsync(jobId, job => JobLifecycle.TryClaim(job, "acme/api", "other-worker", time.GetUtcNow(), lease), CancellationToken.None);
        var worker = engine.Services.GetRequiredService<RunClaimer>();

        time.Advance(lease - TimeSpan.FromMilliseconds(1));
        Assert.Null(await worker.ClaimNextAsync(CancellationToken.None));

        time.Advance(TimeSpan.FromMilliseconds(1));
        var claim = await worker.ClaimNextAsync(CancellationToken.None);
        Assert.NotNull(claim);
        Assert.Equal(2, claim.Run.Attempts);
        Assert.Equal(worker.WorkerId, claim.Run.LeaseOwner);
    }

    [Fact]
    public async Task Stopping_the_process_gives_running_runs_back_and_the_next_start_finishes_them()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api", "acme/web");
        string jobId;
        var hanging = ScriptedCodeAgent.Hanging();
        await using (var first = await EngineHarness.StartAsync(_data.Path, host, hanging))
        {
            jobId = (await first.CreateAsync("acme/api", "acme/web")).Id;
            await hanging.StartedAsync(2);
            await first.StopAsync();
            var released = await first.Store.GetAsync(jobId, CancellationToken.None);
            Assert.All(released!.Runs, run =>
            {
                Assert.Equal(RunStatus.Queued, run.Status);
                Assert.Null(run.LeaseOwner);
                Assert.Equal(10, run.Usage.InputTokens);
            });
        }

        await using var second = await EngineHarness.StartAsync(_data.Path, host, ScriptedCodeAgent.AppendingTo("README.md"));
        var job = await second.WaitForEndAsync(jobId);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.All(job.Runs, run => Assert.Equal(2, run.Attempts));
    }

    [Fact]
    public async Task With_workers_disabled_jobs_stay_queued_for_another_process()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var agent = ScriptedCodeAgent.AppendingTo("README.md");
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, new Dictionary<string, string?> { ["CodyBatch:Worker:Enabled"] = "false" });

        var job = await engine.CreateAsync("acme/api");

        // With workers off no worker loop runs here, or a hosted one ends at once; after that nothing in this process runs the job.
        foreach (var worker in engine.Services.GetServices<IHostedService>().OfType<JobWorker>())
        {
            await worker.ExecuteTask!.Expect("The disabled worker's loop ending");
        }

        Assert.Equal(JobStatus.Queued, (await engine.Store.GetAsync(job.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, agent.Calls);
    }

    [Fact]
    public async Task The_single_job_runner_runs_one_job_to_its_end_and_leaves_others_queued()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api", "acme/web");
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, ScriptedCodeAgent.AppendingTo("README.md"), worker: false);
        var target = await engine.CreateAsync("acme/api", "acme/web");
        var other = await engine.CreateAsync("acme/api");

        var runner = (SingleJobRunner)engine.Services.GetService(typeof(SingleJobRunner))!;
        var ended = await runner.RunAsync(target.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Completed, ended.Status);
        Assert.Equal(JobStatus.Queued, (await engine.Store.GetAsync(other.Id, CancellationToken.None))!.Status);
    }
}
