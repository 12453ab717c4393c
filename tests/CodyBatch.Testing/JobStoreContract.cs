using CodyBatch.Core.Engine;

namespace CodyBatch.Testing;

/// <summary>
/// What every <see cref="IJobStore"/> must do. A store's test class derives from this and
/// supplies a fresh, empty store; the facts here run against each implementation.
/// </summary>
public abstract partial class JobStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty, initialized store.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync();

    /// <summary>Another store object on the same data as <paramref name="store"/> (a second process, in effect).</summary>
    protected abstract Task<IJobStore> OpenSecondWriterAsync(IJobStore store);

    protected static Job NewJob(DateTimeOffset at, string prompt = "Fix the bug", string? title = null, params string[] repositories) =>
        JobLifecycle.Create(prompt, title, JobMode.PullRequest, "claude-test", repositories.Length == 0 ? ["octo/one", "octo/two"] : repositories, at);

    [Fact]
    public async Task Created_job_reads_back_with_every_field()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(T0, "Upgrade X", "Upgrade", "octo/one", "octo/two", "octo/three") with
        {
            Mode = JobMode.Patch,
            ThinkingBudgetTokens = 4_096,
            Publish = new Core.Publishing.PublishSettings
            {
                Draft = true,
                Labels = ["security", "codybatch:review-carefully"],
                Reviewers = ["alice"],
                TeamReviewers = ["platform"],
                Assignees = ["bob"],
                BranchPrefix = "bots/",
                Merge = new Core.Publishing.MergePolicy(Core.Publishing.MergeWhen.Green, Core.Publishing.MergeMethod.Squash),
            },
        };
        await store.CreateAsync(job, CancellationToken.None);
        var claimed = JobLifecycle.TryClaim(job, "octo/two", "w1", T0.AddSeconds(1), TimeSpan.FromSeconds(30))!;
        var finished = JobLifecycle.Finish(
            JobLifecycle.Advance(JobLifecycle.Advance(claimed, "octo/two", "w1", RunStatus.Analyzing, T0), "octo/two", "w1", RunStatus.Publishing, T0),
            "octo/two",
            "w1",
            new RunOutcome
            {
                Status = RunStatus.Succeeded,
                WereChangesNecessary = true,
                Summary = "Did **it** — ünïcødé",
                PatchArtifact = "jobs/x/octo/two/patch.diff",
                ThreadArtifact = "jobs/x/octo/two/thread.json",
                PullRequestUrl = "https://example.test/pull/1",
                PullRequestBranch = "codybatch/x",
                CommitSha = "abc",
                Usage = new TokenUsage(1, 2, 3, 4, 0.0123m),
            },
            T0.AddSeconds(5));
        var stored = await store.TryUpdateAsync(finished, CancellationToken.None);
        Assert.NotNull(stored);

        var read = await store.GetAsync(job.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(finished with { Version = stored!.Version, Runs = read!.Runs }, read);
        Assert.Equal(finished.Runs, read.Runs);
        Assert.Equal(["octo/one", "octo/two", "octo/three"], read.Runs.Select(r => r.Repository));
        Assert.Equal(JobStatus.Running, read.Status);
        Assert.Equal(0.0123m, read.Usage.CostUsd);
    }

    [Fact]
    public async Task Unknown_job_is_null()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync("01aaaaaaaaaaaaaaaaaaaaaaaa", CancellationToken.None));
    }

    [Fact]
    public async Task Versions_follow_every_write_and_leave_out_unknown_jobs()
    {
        var store = await CreateStoreAsync();
        var first = NewJob(T0, "first");
        var second = NewJob(T0.AddMinutes(1), "second");
        await store.CreateAsync(first, CancellationToken.None);
        await store.CreateAsync(second, CancellationToken.None);
        var updated = await store.TryUpdateAsync(JobLifecycle.Cancel(first, T0), CancellationToken.None);

        var versions = await store.GetVersionsAsync([first.Id, second.Id, "01aaaaaaaaaaaaaaaaaaaaaaaa"], CancellationToken.None);

        Assert.Equal(2, versions.Count);
        Assert.Equal(updated!.Version, versions[first.Id]);
        Assert.Equal(first.Version + 1, versions[first.Id]);
        Assert.Equal(second.Version, versions[second.Id]);
        Assert.Empty(await store.GetVersionsAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task Creating_an_existing_id_fails_and_keeps_the_first()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(T0);
        await store.CreateAsync(job, CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => store.CreateAsync(job with { Prompt = "other" }, CancellationToken.None));

        Assert.Equal("Fix the bug", (await store.GetAsync(job.Id, CancellationToken.None))!.Prompt);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(T0);
        await store.CreateAsync(job, CancellationToken.None);
        var first = await store.TryUpdateAsync(JobLifecycle.Cancel(job, T0), CancellationToken.None);

        var second = await store.TryUpdateAsync(job with { Prompt = "stale write" }, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(job.Version + 1, first!.Version);
        Assert.Null(second);
        var read = await store.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, read!.Status);
        Assert.Equal("Fix the bug", read.Prompt);
        Assert.Equal(first.Version, read.Version);
    }

    [Fact]
    public async Task Concurrent_writers_lose_no_update()
    {
        var store = await CreateStoreAsync();
        var other = await OpenSecondWriterAsync(store);
        var job = NewJob(T0, repositories: ["octo/a", "octo/b", "octo/c"]);
        await store.CreateAsync(job, CancellationToken.None);
        const int Writers = 6, Increments = 20;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var writer = w % 2 == 0 ? store : other;
            for (var i = 0; i < Increments; i++)
            {
                var repository = job.Runs[(w + i) % job.Runs.Count].Repository;
                await writer.UpdateAsync(job.Id, current => current with
                {
                    Runs = [.. current.Runs.Select(r => r.Repository == repository ? r with { Usage = r.Usage + new TokenUsage(InputTokens: 1) } : r)],
                }, CancellationToken.None);
            }
        })));

        var read = await store.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal(Writers * Increments, read!.Usage.InputTokens);
        Assert.Equal(job.Version + (Writers * Increments), read.Version);
    }

    [Fact]
    public async Task Reads_never_see_a_job_half_written()
    {
        var store = await CreateStoreAsync();
        var reader = await OpenSecondWriterAsync(store);
        var job = NewJob(T0, repositories: ["octo/one"]);
        await store.CreateAsync(job, CancellationToken.None);
        const int Rounds = 25;
        using var read = new SemaphoreSlim(0);

        // One writer moves the run (and with it the job's status) back and forth; a reader checks
        // that the status it reads is always the one the runs it reads imply. The writer starts a
        // round only after the reader has read again, so the reads overlap the writes however
        // fast or slow either side is, and the test ends after a fixed number of rounds.
        var writer = Task.Run(async () =>
        {
            var at = T0;
            for (var round = 0; round < Rounds; round++)
            {
                await read.WaitAsync();
                at = at.AddSeconds(1);
                await store.UpdateAsync(job.Id, j => JobLifecycle.TryClaim(j, "octo/one", "w", at, TimeSpan.FromMinutes(1)), CancellationToken.None);
                await store.UpdateAsync(
                    job.Id, j => JobLifecycle.Finish(j, "octo/one", "w", new RunOutcome { Status = RunStatus.Failed, Error = "x" }, at), CancellationToken.None);
                await store.UpdateAsync(job.Id, j => JobLifecycle.Retry(j, "octo/one", at), CancellationToken.None);
            }
        });
        while (!writer.IsCompleted)
        {
            var got = await reader.GetAsync(job.Id, CancellationToken.None);
            Assert.Equal(JobLifecycle.DeriveStatus(got!.Runs), got.Status);
            var listed = Assert.Single((await reader.ListAsync(new JobQuery(), CancellationToken.None)).Items);
            Assert.Equal(JobLifecycle.DeriveStatus(listed.Runs), listed.Status);
            read.Release();
        }

        await writer;
        Assert.Equal(Rounds, Assert.Single((await reader.GetAsync(job.Id, CancellationToken.None))!.Runs).Attempts);
    }

    [Fact]
    public async Task Jobs_created_in_the_same_instant_list_and_claim_in_the_order_they_were_created()
    {
        var store = await CreateStoreAsync();
        var jobs = Enumerable.Range(0, 6).Select(i => NewJob(T0, $"prompt {i}", repositories: [$"o/r{i}"])).ToList();
        foreach (var job in jobs)
        {
            await store.CreateAsync(job, CancellationToken.None);
        }

        var listed = await store.ListAsync(new JobQuery(), CancellationToken.None);
        var claimable = await store.FindClaimableAsync(T0, 10, CancellationToken.None);

        // Fairness promises the older job first; a tie in time is broken by creation order, never by chance.
        Assert.Equal(jobs.Select(j => j.Id).Reverse(), listed.Items.Select(j => j.Id));
        Assert.Equal(jobs.Select(j => j.Id), claimable.Select(r => r.JobId));
    }

    [Fact]
    public async Task List_pages_newest_first_with_a_stable_cursor()
    {
        var store = await CreateStoreAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var job = NewJob(T0.AddMinutes(i), $"prompt {i}");
            ids.Add(job.Id);
            await store.CreateAsync(job, CancellationToken.None);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(new JobQuery(Limit: 3, Cursor: cursor), CancellationToken.None);
            seen.AddRange(page.Items.Select(j => j.Id));
            Assert.All(page.Items, j => Assert.NotEmpty(j.Runs));
            cursor = page.NextCursor;
            pages++;
            if (pages == 1)
            {
                // A job created while paging appears on no later page (it is newer than the cursor).
                await store.CreateAsync(NewJob(T0.AddHours(1), "late"), CancellationToken.None);
            }
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task List_filters_by_status_and_text()
    {
        var store = await CreateStoreAsync();
        var security = NewJob(T0, "Find SECURITY issues", null);
        var upgrade = NewJob(T0.AddMinutes(1), "Upgrade the library", "Security sweep");
        var literal = NewJob(T0.AddMinutes(2), "Use 100% of the_cache", null);
        foreach (var job in new[] { security, upgrade, literal })
        {
            await store.CreateAsync(job, CancellationToken.None);
        }

        await store.TryUpdateAsync(JobLifecycle.Cancel(upgrade, T0), CancellationToken.None);

        var bySecurity = await store.ListAsync(new JobQuery(Text: "security"), CancellationToken.None);
        var cancelled = await store.ListAsync(new JobQuery(Status: JobStatus.Cancelled), CancellationToken.None);
        var queuedSecurity = await store.ListAsync(new JobQuery(Status: JobStatus.Queued, Text: "Security"), CancellationToken.None);
        var percent = await store.ListAsync(new JobQuery(Text: "100%"), CancellationToken.None);
        var underscore = await store.ListAsync(new JobQuery(Text: "e_c"), CancellationToken.None);
        var wildcardsAreLiteral = await store.ListAsync(new JobQuery(Text: "%"), CancellationToken.None);

        Assert.Equal([upgrade.Id, security.Id], bySecurity.Items.Select(j => j.Id));
        Assert.Equal([upgrade.Id], cancelled.Items.Select(j => j.Id));
        Assert.Equal([security.Id], queuedSecurity.Items.Select(j => j.Id));
        Assert.Equal([literal.Id], percent.Items.Select(j => j.Id));
        Assert.Equal([literal.Id], underscore.Items.Select(j => j.Id));
        Assert.Equal([literal.Id], wildcardsAreLiteral.Items.Select(j => j.Id));
    }

    [Fact]
    public async Task Failed_filter_lists_every_job_with_a_failed_run()
    {
        var store = await CreateStoreAsync();
        var partly = NewJob(T0, "partly", null, "octo/ok", "octo/bad");
        var allFailed = NewJob(T0.AddMinutes(1), "all failed", null, "octo/bad");
        var fine = NewJob(T0.AddMinutes(2), "fine", null, "octo/ok");
        var running = NewJob(T0.AddMinutes(3), "running", null, "octo/bad", "octo/slow");
        foreach (var job in new[] { partly, allFailed, fine, running })
        {
            await store.CreateAsync(job, CancellationToken.None);
        }

        await store.TryUpdateAsync(End(End(partly, "octo/ok", RunStatus.Succeeded), "octo/bad", RunStatus.Failed), CancellationToken.None);
        await store.TryUpdateAsync(End(allFailed, "octo/bad", RunStatus.Failed), CancellationToken.None);
        await store.TryUpdateAsync(End(fine, "octo/ok", RunStatus.Succeeded), CancellationToken.None);
        await store.TryUpdateAsync(End(running, "octo/bad", RunStatus.Failed), CancellationToken.None);

        var failed = await store.ListAsync(new JobQuery(Status: JobStatus.Failed), CancellationToken.None);
        var completed = await store.ListAsync(new JobQuery(Status: JobStatus.Completed), CancellationToken.None);
        var failedPage = await store.ListAsync(new JobQuery(Status: JobStatus.Failed, Limit: 2), CancellationToken.None);

        Assert.Equal([running.Id, allFailed.Id, partly.Id], failed.Items.Select(j => j.Id));
        Assert.Equal([fine.Id, partly.Id], completed.Items.Select(j => j.Id));
        Assert.Equal(JobStatus.Completed, failed.Items.Single(j => j.Id == partly.Id).Status);
        Assert.Equal([running.Id, allFailed.Id], failedPage.Items.Select(j => j.Id));
        Assert.NotNull(failedPage.NextCursor);
    }

    [Fact]
    public async Task Text_search_matches_repository_names()
    {
        var store = await CreateStoreAsync();
        var api = NewJob(T0, "Fix the bug", null, "acme/payments-api", "acme/web");
        var other = NewJob(T0.AddMinutes(1), "Fix the bug", null, "acme/docs");
        await store.CreateAsync(api, CancellationToken.None);
        await store.CreateAsync(other, CancellationToken.None);

        var byName = await store.ListAsync(new JobQuery(Text: "PAYMENTS"), CancellationToken.None);
        var byOwner = await store.ListAsync(new JobQuery(Text: "acme/"), CancellationToken.None);

        Assert.Equal([api.Id], byName.Items.Select(j => j.Id));
        Assert.Equal([other.Id, api.Id], byOwner.Items.Select(j => j.Id));
    }

    [Fact]
    public async Task Text_search_finds_any_part_of_a_word_in_any_case_and_follows_a_changed_title()
    {
        var store = await CreateStoreAsync();
        var unicode = NewJob(T0, "Réparer la Validation des entrées", null, "acme/ünïcødé-api");
        var titled = NewJob(T0.AddMinutes(1), "Fix the bug", "Old name", "acme/web");
        await store.CreateAsync(unicode, CancellationToken.None);
        await store.CreateAsync(titled, CancellationToken.None);
        var renamed = await store.TryUpdateAsync(titled with { Title = "Quarterly cleanup" }, CancellationToken.None);
        await store.TryUpdateAsync(JobLifecycle.Cancel(renamed!, T0), CancellationToken.None);

        var middle = await store.ListAsync(new JobQuery(Text: "alidat"), CancellationToken.None);
        var accented = await store.ListAsync(new JobQuery(Text: "ÉPARER"), CancellationToken.None);
        var repository = await store.ListAsync(new JobQuery(Text: "ünïcødé-a"), CancellationToken.None);
        var newTitle = await store.ListAsync(new JobQuery(Text: "quarterly"), CancellationToken.None);
        var oldTitle = await store.ListAsync(new JobQuery(Text: "Old name"), CancellationToken.None);
        var quoted = await store.ListAsync(new JobQuery(Text: "\"Fix"), CancellationToken.None);

        Assert.Equal([unicode.Id], middle.Items.Select(j => j.Id));
        Assert.Equal([unicode.Id], accented.Items.Select(j => j.Id));
        Assert.Equal([unicode.Id], repository.Items.Select(j => j.Id));
        Assert.Equal([titled.Id], newTitle.Items.Select(j => j.Id));
        Assert.Empty(oldTitle.Items);
        Assert.Empty(quoted.Items);
    }

    [Fact]
    public async Task Text_search_pages_through_every_match_newest_first()
    {
        var store = await CreateStoreAsync();
        var jobs = Enumerable.Range(0, 7).Select(i => NewJob(T0.AddMinutes(i), i % 2 == 0 ? $"Rotate the token {i}" : $"Other work {i}")).ToList();
        foreach (var job in jobs)
        {
            await store.CreateAsync(job, CancellationToken.None);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(new JobQuery(Text: "rotate the", Limit: 2, Cursor: cursor), CancellationToken.None);
            seen.AddRange(page.Items.Select(j => j.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(jobs.Where((_, i) => i % 2 == 0).Select(j => j.Id).Reverse(), seen);
    }

    [Fact]
    public async Task A_list_with_excerpts_reads_long_texts_cut_and_without_them_whole()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(T0);
        var summary = new string('s', 5_000) + "end";
        var prompt = new string('p', 3_000);
        job = job with
        {
            Prompt = prompt,
            Runs = [.. job.Runs.Select(r => r with { Summary = summary, Submission = new AgentSubmission { BaseCommitSha = "abc", PullRequestBody = "Body" } })],
        };
        await store.CreateAsync(job, CancellationToken.None);

        var listed = Assert.Single((await store.ListAsync(new JobQuery(ExcerptLength: 100), CancellationToken.None)).Items);
        var whole = Assert.Single((await store.ListAsync(new JobQuery(), CancellationToken.None)).Items);
        var read = await store.GetAsync(job.Id, CancellationToken.None);

        Assert.Equal(new string('p', 100) + "…", listed.Prompt);
        Assert.All(listed.Runs, r => Assert.Equal(new string('s', 100) + "…", r.Summary));
        Assert.All(listed.Runs, r => Assert.Null(r.Submission));
        Assert.Equal(prompt, whole.Prompt);
        Assert.All(whole.Runs, r => Assert.Equal(summary, r.Summary));
        Assert.All(read!.Runs, r => Assert.Equal("Body", r.Submission!.PullRequestBody));
    }

    private static Job End(Job job, string repository, RunStatus status)
    {
        var claimed = JobLifecycle.TryClaim(job, repository, "w", T0, TimeSpan.FromMinutes(1))!;
        if (status == RunStatus.Succeeded)
        {
            claimed = JobLifecycle.Advance(JobLifecycle.Advance(claimed, repository, "w", RunStatus.Analyzing, T0), repository, "w", RunStatus.Publishing, T0);
        }

        return JobLifecycle.Finish(claimed, repository, "w", new RunOutcome { Status = status, Error = status == RunStatus.Failed ? "x" : null }, T0);
    }

    [Fact]
    public async Task Claimable_runs_are_queued_or_expired_and_never_final()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(T0, repositories: ["o/queued", "o/live", "o/expired", "o/done"]);
        await store.CreateAsync(job, CancellationToken.None);
        var changed = JobLifecycle.TryClaim(job, "o/live", "w1", T0, TimeSpan.FromMinutes(10))!;
        changed = JobLifecycle.TryClaim(changed, "o/expired", "w2", T0, TimeSpan.FromSeconds(10))!;
        changed = JobLifecycle.TryClaim(changed, "o/done", "w3", T0, TimeSpan.FromMinutes(10))!;
        changed = JobLifecycle.Finish(changed, "o/done", "w3", new RunOutcome { Status = RunStatus.Failed, Error = "x" }, T0);
        await store.TryUpdateAsync(changed, CancellationToken.None);

        var claimable = await store.FindClaimableAsync(T0.AddMinutes(1), 10, CancellationToken.None);

        Assert.Equal(["o/queued", "o/expired"], claimable.Select(r => r.Repository).Order(StringComparer.Ordinal).Reverse());
        Assert.All(claimable, r => Assert.Equal(job.Id, r.JobId));
    }

    [Fact]
    public async Task Claimable_runs_come_fairly_across_jobs_and_respect_the_limit()
    {
        var store = await CreateStoreAsync();
        var busy = NewJob(T0, repositories: ["o/a1", "o/a2", "o/a3", "o/a4", "o/a5"]);
        var idle = NewJob(T0.AddMinutes(1), repositories: ["o/b1", "o/b2"]);
        await store.CreateAsync(busy, CancellationToken.None);
        await store.CreateAsync(idle, CancellationToken.None);
        var claimed = JobLifecycle.TryClaim(busy, "o/a1", "w", T0, TimeSpan.FromHours(1))!;
        claimed = JobLifecycle.TryClaim(claimed, "o/a2", "w", T0, TimeSpan.FromHours(1))!;
        await store.TryUpdateAsync(claimed, CancellationToken.None);

        var claimable = await store.FindClaimableAsync(T0, 3, CancellationToken.None);

        // The newer job with nothing running comes before the older job that already has two runs going.
        Assert.Equal(["o/b1", "o/b2", "o/a3"], claimable.Select(r => r.Repository));
    }

    [Fact]
    public async Task A_jobs_checks_and_a_runs_verification_read_back()
    {
        var store = await CreateStoreAsync();
        var withChecks = NewJob(T0, repositories: ["octo/one"]) with { Checks = ["npm test", "make lint"] };
        var noChecks = NewJob(T0.AddSeconds(1), repositories: ["octo/two"]) with { Checks = [] };
        var detect = NewJob(T0.AddSeconds(2), repositories: ["octo/three"]);
        foreach (var job in new[] { withChecks, noChecks, detect })
        {
            await store.CreateAsync(job, CancellationToken.None);
        }

        var verification = new Core.Checks.Verification
        {
            Status = Core.Checks.VerificationStatus.Broke,
            Source = "the job",
            Reason = "The change broke `npm test`: passed on the baseline, fails after the change.",
            Checks =
            [
                new Core.Checks.CheckComparison("npm test", "npm test", new Core.Checks.CheckRun(0, 1200, null, "ok"), new Core.Checks.CheckRun(1, 900, null, "1 failing")),
                new Core.Checks.CheckComparison("make lint", "make lint", new Core.Checks.CheckRun(null, 2000, "stopped at the time limit of 2 s (CodyBatch:Checks:Timeout)", ""), null),
            ],
        };
        var claimed = JobLifecycle.TryClaim(withChecks, "octo/one", "w1", T0, TimeSpan.FromSeconds(30))!;
        var finished = JobLifecycle.Finish(claimed, "octo/one", "w1", new RunOutcome { Status = RunStatus.Failed, Error = "x", Verification = verification }, T0);
        await store.TryUpdateAsync(finished, CancellationToken.None);

        var read = await store.GetAsync(withChecks.Id, CancellationToken.None);

        Assert.Equal(["npm test", "make lint"], read!.Checks);
        Assert.Equal([], (await store.GetAsync(noChecks.Id, CancellationToken.None))!.Checks);
        Assert.Null((await store.GetAsync(detect.Id, CancellationToken.None))!.Checks);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(verification),
            System.Text.Json.JsonSerializer.Serialize(read.Runs[0].Verification));
    }

    [Fact]
    public async Task A_jobs_shell_and_network_read_back_and_a_job_from_before_them_follows_the_server()
    {
        var store = await CreateStoreAsync();
        var closed = NewJob(T0, repositories: ["octo/one"]) with { Shell = false, Network = JobNetwork.None };
        var open = NewJob(T0.AddSeconds(1), repositories: ["octo/two"]) with { Shell = true, Network = JobNetwork.Registries };
        var older = NewJob(T0.AddSeconds(2), repositories: ["octo/three"]);
        foreach (var job in new[] { closed, open, older })
        {
            await store.CreateAsync(job, CancellationToken.None);
        }

        var claimed = JobLifecycle.TryClaim(closed, "octo/one", "w1", T0, TimeSpan.FromSeconds(30))!;
        Assert.NotNull(await store.TryUpdateAsync(claimed, CancellationToken.None));

        var readClosed = await store.GetAsync(closed.Id, CancellationToken.None);
        var readOpen = await store.GetAsync(open.Id, CancellationToken.None);
        var readOlder = await store.GetAsync(older.Id, CancellationToken.None);

        Assert.Equal((false, JobNetwork.None), (readClosed!.Shell, readClosed.Network));
        Assert.Equal((true, JobNetwork.Registries), (readOpen!.Shell, readOpen.Network));
        Assert.Equal((null, JobNetwork.Registries), (readOlder!.Shell, readOlder.Network));
        var listed = await store.ListAsync(new JobQuery(Limit: 10), CancellationToken.None);
        Assert.Contains(listed.Items, j => j.Id == closed.Id && j.Shell == false && j.Network == JobNetwork.None);
    }
}
