using CodyBatch.Core.Engine;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Keeps the pull requests of runs current and acts on them: refresh one job or every open pull
/// request, apply a webhook event, close a job's open pull requests, delete the branches of its
/// closed ones. A pull request shared by several jobs of a campaign is read once per refresh.
/// </summary>
public sealed partial class PullRequestTracker(
    IJobStore store,
    IPullRequestHost host,
    TimeProvider time,
    ILogger<PullRequestTracker> logger,
    Access.AuditTrail? audit = null,
    PullRequestMerger? merger = null,
    RoundDecider? rounds = null)
{
    /// <summary>Refreshes the open pull requests of one job. Null when the job does not exist.</summary>
    public async Task<PullRequestActionResult?> RefreshJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = JobId.IsValid(jobId) ? await store.GetAsync(jobId, cancellationToken) : null;
        if (job is null)
        {
            return null;
        }

        // Asked for by a user: a closed (not merged) pull request is read too, so one reopened on GitHub is followed again.
        var report = await RefreshAsync([job], cancellationToken, includeClosed: true);
        return new PullRequestActionResult(await store.GetAsync(jobId, cancellationToken) ?? job, report.Refreshed, report.Problems);
    }

    /// <summary>Refreshes every open pull request (the background refresher's step).</summary>
    public async Task<RefreshReport> RefreshOpenAsync(CancellationToken cancellationToken) =>
        await RefreshAsync(await store.ListWithOpenPullRequestsAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Applies a webhook event to every run whose pull request it is about, unless it is older than
    /// what is stored; one of the same second that would change state or head is settled by reading
    /// the pull request from GitHub. Returns how many runs' pull requests changed.
    /// </summary>
    public async Task<int> ApplyAsync(PullRequestEvent webhook, CancellationToken cancellationToken)
    {
        var touched = 0;
        var jobs = (await store.ListWithOpenPullRequestsAsync(cancellationToken)).ToList();
        if (webhook.State == PullRequestState.Open && webhook.Numbers.Count > 0)
        {
            jobs.AddRange(await ClosedAsync(webhook, jobs, cancellationToken));
        }

        foreach (var job in jobs)
        {
            if (!job.Runs.Any(r => Applies(r, webhook)))
            {
                continue;
            }

            var observed = new Dictionary<string, PullRequestObservation>(StringComparer.OrdinalIgnoreCase);
            foreach (var run in job.Runs.Where(r => Applies(r, webhook) && PullRequestTracking.IsAmbiguous(r.PullRequest!, webhook)))
            {
                try
                {
                    observed[run.Repository] = await host.ObserveAsync(run.Repository, run.PullRequest!, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Left for the next refresh, which reads the same.
                    LogRefreshFailed(logger, run.Repository, run.PullRequest!.Number, e.Message);
                }
            }

            var now = time.GetUtcNow();
            var applied = 0;
            var changes = new List<(string Target, string Detail)>();
            await store.UpdateAsync(
                job.Id,
                current =>
                {
                    // May run again when another writer got there first: count this attempt only.
                    applied = 0;
                    changes.Clear();
                    var changed = current;
                    foreach (var run in current.Runs.Where(r => Applies(r, webhook)))
                    {
                        var pull = run.PullRequest!;
                        PullRequest next;
                        if (!PullRequestTracking.IsAmbiguous(pull, webhook))
                        {
                            next = PullRequestTracking.Apply(pull, webhook, now);
                            applied++;
                        }
                        else if (observed.TryGetValue(run.Repository, out var observation))
                        {
                            next = PullRequestTracking.Observe(pull, observation, now);
                            applied += PullRequestTracking.Differs(pull, next) ? 1 : 0;
                        }
                        else
                        {
                            continue;
                        }

                        changed = JobLifecycle.SetPullRequest(changed, run.Repository, next, now);
                        if (PullRequestTracking.Differs(pull, next))
                        {
                            changes.Add(($"{run.Repository}#{pull.Number}", Describe(job.Id, pull, next)));
                        }
                    }

                    return ReferenceEquals(changed, current) ? null : changed;
                },
                cancellationToken);
            touched += applied;
            foreach (var (target, detail) in changes)
            {
                await (audit?.RecordAsync(Access.Caller.Webhook, "pullRequest.changed", target, "succeeded", cancellationToken, detail) ?? Task.CompletedTask);
            }

            if (webhook.Round is { } signal && rounds is not null)
            {
                foreach (var run in job.Runs.Where(r => Applies(r, webhook)))
                {
                    touched += await rounds.DecideAsync(job.Id, run.Repository, run.PullRequest!.Number, signal, cancellationToken) is { } ? 1 : 0;
                }
            }

            if (applied > 0 && rounds is not null)
            {
                await rounds.FollowChecksAsync(job.Id, cancellationToken);
            }

            if (applied > 0 && merger is not null)
            {
                // merge: green acts on what just changed.
                await merger.FollowAsync(job.Id, cancellationToken);
            }
        }

        return touched;
    }

    // A pull request event saying "open" may be a reopen of one no longer followed: the jobs of that repository
    // (found by the list's search, page by page) whose run has that pull request closed.
    private async Task<List<Job>> ClosedAsync(PullRequestEvent webhook, IReadOnlyList<Job> open, CancellationToken cancellationToken)
    {
        var found = new List<Job>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(new JobQuery(Text: webhook.Repository, Limit: 100, Cursor: cursor, ExcerptLength: 1), cancellationToken);
            found.AddRange(page.Items.Where(job => open.All(o => o.Id != job.Id)
                && job.Runs.Any(r => r.PullRequest?.State == PullRequestState.Closed && PullRequestTracking.Matches(r, webhook))));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return found;
    }

    // A delivery older than what is stored (a replay, a late redelivery) changes nothing.
    private static bool Applies(RepositoryRun run, PullRequestEvent webhook) =>
        PullRequestTracking.Matches(run, webhook) && !PullRequestTracking.IsStale(run.PullRequest!, webhook);

    /// <summary>Closes every open pull request of the job, leaving <paramref name="comment"/> on each.</summary>
    public Task<PullRequestActionResult?> CloseAllAsync(string jobId, string comment, CancellationToken cancellationToken) =>
        ActAsync(
            jobId,
            pull => pull.State == PullRequestState.Open,
            async (repository, pull) =>
            {
                await host.CloseAsync(repository, pull, comment, cancellationToken);
                return PullRequestTracking.Closed(pull, time.GetUtcNow());
            },
            cancellationToken);

    /// <summary>Deletes the branches of the job's closed and merged pull requests.</summary>
    public Task<PullRequestActionResult?> DeleteBranchesAsync(string jobId, CancellationToken cancellationToken) =>
        ActAsync(
            jobId,
            pull => pull.State != PullRequestState.Open && !pull.BranchDeleted,
            async (repository, pull) =>
            {
                await host.DeleteBranchAsync(repository, pull, cancellationToken);
                return PullRequestTracking.BranchDeleted(pull);
            },
            cancellationToken);

    private async Task<PullRequestActionResult?> ActAsync(
        string jobId, Func<PullRequest, bool> applies, Func<string, PullRequest, Task<PullRequest>> act, CancellationToken cancellationToken)
    {
        var job = JobId.IsValid(jobId) ? await store.GetAsync(jobId, cancellationToken) : null;
        if (job is null)
        {
            return null;
        }

        var problems = new List<string>();
        var acted = 0;
        foreach (var run in job.Runs.Where(r => r.PullRequest is { } pull && applies(pull)))
        {
            PullRequest changed;
            try
            {
                // Destructive: what is stored may be old (a lost or replayed webhook), so GitHub's word is read first.
                var observed = PullRequestTracking.Observe(run.PullRequest!, await host.ObserveAsync(run.Repository, run.PullRequest!, cancellationToken), time.GetUtcNow());
                if (!applies(observed))
                {
                    await store.UpdateAsync(jobId, current => JobLifecycle.SetPullRequest(current, run.Repository, observed, time.GetUtcNow()), cancellationToken);
                    problems.Add($"{run.Repository}#{observed.Number}: GitHub shows it {observed.State.ToString().ToLowerInvariant()} now, so it was left as it is.");
                    continue;
                }

                changed = await act(run.Repository, observed);
            }
            catch (RunFailedException e)
            {
                problems.Add($"{run.Repository}: {e.Message}");
                continue;
            }

            await store.UpdateAsync(jobId, current => JobLifecycle.SetPullRequest(current, run.Repository, changed, time.GetUtcNow()), cancellationToken);
            acted++;
        }

        return new PullRequestActionResult((await store.GetAsync(jobId, cancellationToken))!, acted, problems);
    }

    private async Task<RefreshReport> RefreshAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken, bool includeClosed = false)
    {
        // One read per pull request, however many jobs of a campaign follow it; the newest job's copy has the newest tags.
        var pulls = jobs
            .SelectMany(job => job.Runs
                .Where(r => r.PullRequest?.State == PullRequestState.Open || (includeClosed && r.PullRequest?.State == PullRequestState.Closed))
                .Select(run => (Job: job, Run: run)))
            .GroupBy(x => (Repository: x.Run.Repository.ToLowerInvariant(), x.Run.PullRequest!.Number))
            .ToList();
        var report = new RefreshReport();
        var changedJobs = new HashSet<string>(StringComparer.Ordinal);
        var conflicts = new HashSet<(string JobId, string Repository, int Number, string Head)>();
        if (pulls.Count == 0)
        {
            return report;
        }

        var newest = pulls.Select(group => group.MaxBy(x => x.Job.Id)!).ToList();
        var batch = await host.ObserveManyAsync([.. newest.Select(x => (x.Run.Repository, x.Run.PullRequest!))], cancellationToken);
        report.Calls += batch.Calls;
        report.NotModified += batch.NotModified;
        report.RateLimitPoints += batch.RateLimitPoints;
        for (var i = 0; i < pulls.Count; i++)
        {
            var group = pulls[i];
            if (batch.Readings[i] is not { Observation: { } observation })
            {
                var problem = batch.Readings[i].Problem ?? "the host reported nothing";
                LogRefreshFailed(logger, newest[i].Run.Repository, group.Key.Number, problem);
                report.Problems.Add($"{newest[i].Run.Repository}#{group.Key.Number}: {problem}");
                continue;
            }

            report.Refreshed++;
            var now = time.GetUtcNow();
            foreach (var (job, run) in group)
            {
                string? detail = null;
                await store.UpdateAsync(
                    job.Id,
                    current =>
                    {
                        detail = null;
                        if (current.FindRun(run.Repository)?.PullRequest is not { } pull || pull.Number != group.Key.Number)
                        {
                            return null;
                        }

                        var next = PullRequestTracking.Observe(pull, observation, now);
                        detail = PullRequestTracking.Differs(pull, next) ? Describe(job.Id, pull, next) : null;
                        if (next.State == PullRequestState.Open && next.Mergeable == false && next.HeadSha is { } head)
                        {
                            // GitHub reports a conflict: a cause per head commit, decided once.
                            conflicts.Add((job.Id, run.Repository, group.Key.Number, head));
                        }
                        return JobLifecycle.SetPullRequest(current, run.Repository, next, now);
                    },
                    cancellationToken);
                if (detail is not null)
                {
                    changedJobs.Add(job.Id);
                }

                if (detail is not null && audit is not null)
                {
                    // A refresh the API asked for is the caller's; the background refresher's is the server's.
                    await audit.RecordAsync(Access.CallerContext.Current, "pullRequest.refreshed", $"{run.Repository}#{group.Key.Number}", "succeeded", cancellationToken, detail);
                }
            }
        }

        foreach (var (jobId, repository, number, head) in conflicts)
        {
            await (rounds?.DecideAsync(jobId, repository, number, new RoundSignal { Kind = RoundSignalKind.Conflict, Id = head }, cancellationToken) ?? Task.FromResult<RoundDecision?>(null));
        }

        foreach (var jobId in changedJobs)
        {
            await (rounds?.FollowChecksAsync(jobId, cancellationToken) ?? Task.CompletedTask);
            await (merger?.FollowAsync(jobId, cancellationToken) ?? Task.CompletedTask);
        }

        return report;
    }

    private static string Describe(string jobId, PullRequest before, PullRequest after) =>
        before.State == after.State
            ? $"Job {jobId}: checks {after.Checks.ToString().ToLowerInvariant()}, review {after.Review?.ToString().ToLowerInvariant() ?? "none"}."
            : $"Job {jobId}: {before.State.ToString().ToLowerInvariant()} → {after.State.ToString().ToLowerInvariant()}.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing pull request {Repository}#{Number} failed: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string repository, int number, string error);
}
