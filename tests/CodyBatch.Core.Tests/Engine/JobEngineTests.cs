using System.Text.Json;

namespace CodyBatch.Core.Tests.Engine;

public sealed class JobEngineTests : IDisposable
{
    private readonly TempDirectory _data = new("codybatch-engine");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_job_runs_every_repository_and_records_patch_thread_usage_and_pull_request()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api", "acme/web", "acme/docs");
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, ScriptedCodeAgent.AppendingTo("README.md"));

        var created = await engine.CreateAsync("acme/api", "acme/web", "acme/docs");
        var job = await engine.WaitForEndAsync(created.Id);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.FinishedAt);
        Assert.All(job.Runs, run =>
        {
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.True(run.WereChangesNecessary);
            Assert.Equal("Appended a line to README.md.", run.Summary);
            Assert.Equal(1, run.Attempts);
            Assert.Null(run.LeaseOwner);
            Assert.StartsWith("https://example.test/" + run.Repository + "/pull/", run.PullRequestUrl, StringComparison.Ordinal);
            Assert.Equal("codybatch/" + job.Id, run.PullRequestBranch);
            Assert.Equal(new TokenUsage(1000, 200, 50, 10, 0.006m), run.Usage);
        });
        Assert.Equal(new TokenUsage(3000, 600, 150, 30, 0.018m), job.Usage);

        var patch = await engine.ReadArtifactAsync(job.FindRun("acme/web")!.PatchArtifact!);
        Assert.Contains("diff --git a/README.md b/README.md", patch, StringComparison.Ordinal);
        Assert.Contains("+changed by acme/web", patch, StringComparison.Ordinal);

        using var thread = JsonDocument.Parse(await engine.ReadArtifactAsync(job.FindRun("acme/web")!.ThreadArtifact!));
        Assert.Contains("Append a line", thread.RootElement.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(3, host.Published.Count);
        Assert.All(host.Published, p =>
        {
            Assert.Equal("Append a line", p.Title);
            Assert.StartsWith("Body\n\n---\n\nMade by Cody Batch for this prompt:\n\n> Append a line\n", p.Body, StringComparison.Ordinal);
            Assert.Equal([new Core.Workspaces.WorkspaceChange("README.md", false, "100644", false)], p.Changes);
        });
    }

    [Fact]
    public async Task Patch_mode_and_missing_push_permission_store_the_patch_without_publishing()
    {
        var host = new FakeRepositoryHost()
            .Add("acme/readonly", new Dictionary<string, string> { ["README.md"] = "x\n" }, canPush: false)
            .AddSimple("acme/api");
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, ScriptedCodeAgent.AppendingTo("README.md"));

        var patchOnly = await engine.WaitForEndAsync((await engine.CreateJobAsync("Append", "patch", "acme/api")).Id);
        var readOnly = await engine.WaitForEndAsync((await engine.CreateAsync("acme/readonly")).Id);

        foreach (var run in patchOnly.Runs.Concat(readOnly.Runs))
        {
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.NotNull(run.PatchArtifact);
            Assert.Null(run.PullRequestUrl);
        }

        Assert.Empty(host.Published);
        Assert.Null(patchOnly.Runs[0].Notice);
        Assert.Equal("No pull request: the service account may not push to acme/readonly, so the change is here as a patch only.", readOnly.Runs[0].Notice);
    }

    [Fact]
    public async Task A_run_without_changes_has_no_patch_and_opens_no_pull_request()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var agent = new ScriptedCodeAgent((_, _) => Task.FromResult(
            AgentOutcome.Succeeded(new AgentResult(false, "Nothing to do."), new TokenUsage(InputTokens: 5))));
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent);

        var job = await engine.WaitForEndAsync((await engine.CreateAsync("acme/api")).Id);

        var run = Assert.Single(job.Runs);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.False(run.WereChangesNecessary);
        Assert.Null(run.PatchArtifact);
        Assert.Empty(host.Published);
    }

    [Fact]
    public async Task One_repository_failing_does_not_affect_the_others()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api", "acme/web", "acme/crashes");
        var append = ScriptedCodeAgent.AppendingTo("README.md");
        var agent = new ScriptedCodeAgent((request, ct) => request.Repository == "acme/crashes"
            ? throw new InvalidOperationException("the agent fell over")
            : append.RunAsync(request, ct));
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent);

        var job = await engine.WaitForEndAsync((await engine.CreateAsync("acme/api", "acme/missing", "acme/web", "acme/crashes")).Id);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(RunStatus.Succeeded, job.FindRun("acme/api")!.Status);
        Assert.Equal(RunStatus.Succeeded, job.FindRun("acme/web")!.Status);
        var missing = job.FindRun("acme/missing")!;
        Assert.Equal(RunStatus.Failed, missing.Status);
        Assert.Equal("Repository acme/missing was not found, or the service account cannot see it.", missing.Error);
        var crashed = job.FindRun("acme/crashes")!;
        Assert.Equal(RunStatus.Failed, crashed.Status);
        Assert.Equal("Unexpected error while analyzing: the agent fell over", crashed.Error);
        Assert.NotNull(crashed.ThreadArtifact);
        Assert.Contains("the agent fell over", await engine.ReadArtifactAsync(crashed.ThreadArtifact!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Workspaces_are_removed_after_each_run_and_kept_after_a_failure_only_when_asked(bool keep)
    {
        var host = new FakeRepositoryHost().AddSimple("acme/ok", "acme/fails");
        var append = ScriptedCodeAgent.AppendingTo("README.md");
        var agent = new ScriptedCodeAgent((request, ct) => request.Repository == "acme/fails"
            ? Task.FromResult(AgentOutcome.Failed("No result.", TokenUsage.Zero))
            : append.RunAsync(request, ct));
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, new Dictionary<string, string?> { ["CodyBatch:Worker:KeepFailedWorkspaces"] = keep.ToString() });

        await engine.WaitForEndAsync((await engine.CreateAsync("acme/ok", "acme/fails")).Id);

        var left = Directory.GetDirectories(Path.Combine(_data.Path, "workspaces"));
        if (keep)
        {
            Assert.Contains("-acme-fails-", Path.GetFileName(Assert.Single(left)), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(left[0], "repo", "README.md")));
        }
        else
        {
            Assert.Empty(left);
        }
    }

    [Fact]
    public async Task A_job_whose_runs_all_fail_is_failed_and_says_why_for_each()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var agent = new ScriptedCodeAgent((_, _) => Task.FromResult(
            AgentOutcome.Failed("The run used its 40 turns (CodyBatch:Agent:MaxTurns) without submitting a result.", new TokenUsage(InputTokens: 7))));
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent);

        var job = await engine.WaitForEndAsync((await engine.CreateAsync("acme/api", "acme/gone")).Id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("The run used its 40 turns (CodyBatch:Agent:MaxTurns) without submitting a result.", job.FindRun("acme/api")!.Error);
        Assert.Equal(7, job.FindRun("acme/api")!.Usage.InputTokens);
        Assert.Contains("acme/gone", job.FindRun("acme/gone")!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_in_error_messages_are_redacted()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var agent = new ScriptedCodeAgent((_, _) => throw new InvalidOperationException("request with key sk-ant-secret-123 refused"));
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, configure: services => services.AddSingleton(new SecretRedactor(["sk-ant-secret-123"])));

        var job = await engine.WaitForEndAsync((await engine.CreateAsync("acme/api")).Id);

        var run = Assert.Single(job.Runs);
        Assert.DoesNotContain("sk-ant-secret-123", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-secret-123", await engine.ReadArtifactAsync(run.ThreadArtifact!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_running_runs_promptly_keeps_their_partial_threads_and_cancels_queued_ones()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/a", "acme/b", "acme/c");
        // The clock never moves: no lease expiry, run limit or progress tick can end the hanging runs,
        // so they end only if the cancel reaches them at once.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var agent = ScriptedCodeAgent.Hanging();
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, new Dictionary<string, string?> { ["CodyBatch:Worker:Concurrency"] = "2" },
            configure: s => s.AddSingleton<TimeProvider>(time));

        var created = await engine.CreateAsync("acme/a", "acme/b", "acme/c");
        await agent.StartedAsync(2);
        await engine.Jobs.CancelAsync(created.Id, CancellationToken.None);
        var job = await engine.WaitForEndAsync(created.Id);

        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.All(job.Runs, run => Assert.Equal(RunStatus.Cancelled, run.Status));
        var ran = job.Runs.Where(r => r.Attempts == 1).ToList();
        Assert.Equal(2, ran.Count);
        Assert.All(ran, run =>
        {
            Assert.NotNull(run.ThreadArtifact);
            Assert.Equal(10, run.Usage.InputTokens);
        });
        Assert.Contains("Append a line", await engine.ReadArtifactAsync(ran[0].ThreadArtifact!), StringComparison.Ordinal);
        Assert.Null(job.Runs.Single(r => r.Attempts == 0).ThreadArtifact);
    }

    [Fact]
    public async Task A_failed_run_can_be_retried_and_keeps_its_earlier_usage()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api", "acme/web");
        var append = ScriptedCodeAgent.AppendingTo("README.md");
        var failOnce = 1;
        var agent = new ScriptedCodeAgent((request, ct) => request.Repository == "acme/web" && Interlocked.Exchange(ref failOnce, 0) == 1
            ? Task.FromResult(AgentOutcome.Failed("Claude was overloaded.", new TokenUsage(InputTokens: 3)))
            : append.RunAsync(request, ct));
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent);

        var first = await engine.WaitForEndAsync((await engine.CreateAsync("acme/api", "acme/web")).Id);
        Assert.Equal(RunStatus.Failed, first.FindRun("acme/web")!.Status);
        var succeeded = first.FindRun("acme/api")!;

        var retried = await engine.Jobs.RetryAsync(first.Id, "acme/web", CancellationToken.None);
        Assert.NotNull(retried.Job);
        var job = await engine.WaitForEndAsync(first.Id);

        var run = job.FindRun("acme/web")!;
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.Null(run.Error);
        Assert.Equal(1003, run.Usage.InputTokens);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(succeeded, job.FindRun("acme/api"));

        var again = await engine.Jobs.RetryAsync(first.Id, "acme/api", CancellationToken.None);
        Assert.Null(again.Job);
        Assert.Contains("only failed or cancelled runs can be retried", again.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_over_its_time_limit_fails_with_the_limit_named()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var agent = ScriptedCodeAgent.Hanging();
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, new Dictionary<string, string?> { ["CodyBatch:Worker:RunTimeout"] = "00:00:01" },
            configure: s => s.AddSingleton<TimeProvider>(time));
        var jobId = (await engine.CreateAsync("acme/api")).Id;

        // The run's limit is timed from its claim, before the agent starts: once the agent works, a
        // second on the clock is the whole limit, and nothing else can end the run.
        await agent.StartedAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        var job = await engine.WaitForEndAsync(jobId);

        var run = Assert.Single(job.Runs);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("The run took longer than its limit of 1 second (CodyBatch:Worker:RunTimeout) and was stopped.", run.Error);
        Assert.NotNull(run.ThreadArtifact);
    }

    [Fact]
    public async Task Runs_across_jobs_never_exceed_the_concurrency_and_use_all_of_it()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/a", "acme/b", "acme/c", "acme/d", "acme/e");
        var inFlight = 0;
        var peak = 0;
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new ScriptedCodeAgent(async (_, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            if (now >= 3)
            {
                full.TrySetResult();
            }

            // No run ends before three are in at once, however slow a claim or a fetch is; with fewer
            // slots the third never comes and the jobs do not end.
            await full.Task.WaitAsync(ct);
            Interlocked.Decrement(ref inFlight);
            return AgentOutcome.Succeeded(new AgentResult(false, "ok"), TokenUsage.Zero);
        });
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, new Dictionary<string, string?> { ["CodyBatch:Worker:Concurrency"] = "3" });

        var jobs = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await engine.CreateAsync("acme/a", "acme/b", "acme/c", "acme/d", "acme/e"));
        }

        foreach (var job in jobs)
        {
            Assert.Equal(JobStatus.Completed, (await engine.WaitForEndAsync(job.Id)).Status);
        }

        Assert.Equal(3, Volatile.Read(ref peak));
        Assert.Equal(15, agent.Calls);
    }

    [Fact]
    public async Task A_big_job_does_not_starve_the_job_after_it()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/a", "acme/b", "acme/c", "acme/d", "acme/e", "other/one");
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var bothSlots = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            order.Enqueue(request.Repository);
            if (order.Count >= 2)
            {
                bothSlots.TrySetResult();
            }

            // No run ends before both slots are taken, so the first two entries are the first claims.
            await bothSlots.Task.WaitAsync(ct);
            return AgentOutcome.Succeeded(new AgentResult(false, "ok"), TokenUsage.Zero);
        });
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, new Dictionary<string, string?> { ["CodyBatch:Worker:Concurrency"] = "2" }, worker: true, paused: true);

        var big = await engine.CreateAsync("acme/a", "acme/b", "acme/c", "acme/d", "acme/e");
        var small = await engine.CreateAsync("other/one");
        await engine.ResumeAsync();
        await engine.WaitForEndAsync(big.Id);
        await engine.WaitForEndAsync(small.Id);

        Assert.Contains("other/one", order.Take(2));
    }

    [Fact]
    public async Task With_the_default_settings_a_five_repository_job_runs_in_one_wave()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/a", "acme/b", "acme/c", "acme/d", "acme/e");
        var active = 0;
        var most = 0;
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            var now = Interlocked.Increment(ref active);
            InterlockedMax(ref most, now);
            if (now >= 5)
            {
                allIn.TrySetResult();
            }

            // Held until all five are in, so a slow fetch of one run cannot make the wave look smaller
            // than it is; with fewer slots the fifth never comes and the job does not end.
            await allIn.Task.WaitAsync(ct);
            Interlocked.Decrement(ref active);
            return AgentOutcome.Succeeded(new AgentResult(false, "ok"), TokenUsage.Zero);
        });
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent, worker: true, paused: true);

        var job = await engine.CreateAsync("acme/a", "acme/b", "acme/c", "acme/d", "acme/e");
        await engine.ResumeAsync();
        await engine.WaitForEndAsync(job.Id);

        Assert.Equal(5, most);
    }

    [Fact]
    public async Task A_job_that_fits_in_the_free_slots_is_not_split_across_waves()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/a", "acme/b", "acme/c", "acme/d", "acme/e", "other/a", "other/b", "other/c", "other/d", "other/e");
        var first = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var waveStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            first.Enqueue(request.Repository);
            if (first.Count >= 8)
            {
                waveStarted.TrySetResult();
            }

            // No slot frees before all eight claimed runs reached the agent, however long their
            // fetch took, so the first eight entries are exactly the first wave of claims.
            await waveStarted.Task.WaitAsync(ct);
            return AgentOutcome.Succeeded(new AgentResult(false, "ok"), TokenUsage.Zero);
        });
        await using var engine = await EngineHarness.StartAsync(
            _data.Path, host, agent, new Dictionary<string, string?> { ["CodyBatch:Worker:Concurrency"] = "8" }, worker: true, paused: true);

        // Both jobs are made in the same instant: the one made first is the older one all the same.
        var at = engine.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var older = JobLifecycle.Create("Append a line", null, JobMode.PullRequest, "claude-sonnet-4-5", ["acme/a", "acme/b", "acme/c", "acme/d", "acme/e"], at);
        var newer = JobLifecycle.Create("Append a line", null, JobMode.PullRequest, "claude-sonnet-4-5", ["other/a", "other/b", "other/c", "other/d", "other/e"], at);
        await engine.Store.CreateAsync(newer, CancellationToken.None);
        await engine.Store.CreateAsync(older, CancellationToken.None);
        await engine.ResumeAsync();
        await engine.WaitForEndAsync(older.Id);
        await engine.WaitForEndAsync(newer.Id);

        // The first wave takes all of the older job and fills the rest with the newer one.
        var wave = first.Take(8).ToList();
        Assert.All(older.Runs, run => Assert.Contains(run.Repository, wave));
        Assert.Equal(3, wave.Count(r => r.StartsWith("other/", StringComparison.Ordinal)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
