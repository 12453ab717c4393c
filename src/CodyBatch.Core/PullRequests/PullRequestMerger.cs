using CodyBatch.Core.Engine;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Merges pull requests that are green (<see cref="MergeGate"/>) with the job's merge method: by hand ("merge all
/// green" on a job or a campaign, which reads each pull request from the host first) and by itself after a webhook
/// or a refresh changed a pull request of a job whose policy is <c>merge: green</c>. Where checks are still pending
/// it enables the host's auto-merge when the repository allows it. Each pull request keeps a sentence about the last
/// decision (<see cref="PullRequest.MergeNote"/>).
/// </summary>
public sealed partial class PullRequestMerger(IJobStore store, IPullRequestHost host, TimeProvider time, ILogger<PullRequestMerger> logger)
{
    /// <summary>Merges the job's green pull requests; null when the job does not exist.</summary>
    public async Task<IReadOnlyList<MergeOutcome>?> MergeJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = JobId.IsValid(jobId) ? await store.GetAsync(jobId, cancellationToken) : null;
        return job is null ? null : await MergeAllAsync([job], cancellationToken);
    }

    /// <summary>Merges the green open pull requests of every job of the campaign (each pull request once, from its newest job).</summary>
    public async Task<IReadOnlyList<MergeOutcome>> MergeCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        var jobs = (await store.ListWithOpenPullRequestsAsync(cancellationToken)).Where(j => (j.CampaignId ?? j.Id) == campaignId).ToList();
        return await MergeAllAsync(jobs, cancellationToken);
    }

    /// <summary>
    /// After a change of the job's pull requests: when its policy is <c>merge: green</c>, each open one that may be
    /// merged now is merged (or gets auto-merge). What is stored is fresh from the webhook or refresh that called this.
    /// </summary>
    public async Task FollowAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(jobId, cancellationToken) is not { Publish.Merge.When: MergeWhen.Green } job)
        {
            return;
        }

        foreach (var run in job.Runs.Where(r => r.PullRequest is { State: PullRequestState.Open }))
        {
            try
            {
                await MergeOneAsync(job, run.Repository, run.PullRequest!, cancellationToken);
            }
            catch (RunFailedException e)
            {
                // Left for the next change or refresh.
                LogMergeFailed(logger, run.Repository, run.PullRequest!.Number, e.Message);
            }
        }
    }

    private async Task<IReadOnlyList<MergeOutcome>> MergeAllAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken)
    {
        var outcomes = new List<MergeOutcome>();
        var newest = jobs
            .SelectMany(job => job.Runs.Where(r => r.PullRequest is { State: PullRequestState.Open }).Select(run => (Job: job, Run: run)))
            .GroupBy(x => (x.Run.Repository.ToLowerInvariant(), x.Run.PullRequest!.Number))
            .Select(g => g.MaxBy(x => x.Job.Id));
        foreach (var (job, run) in newest)
        {
            var pull = run.PullRequest!;
            try
            {
                if (pull.State == PullRequestState.Open)
                {
                    // Acting on it: GitHub's word first (what is stored may be behind a lost webhook).
                    pull = PullRequestTracking.Observe(pull, await host.ObserveAsync(run.Repository, pull, cancellationToken), time.GetUtcNow());
                    var observed = pull;
                    await store.UpdateAsync(job.Id, current => JobLifecycle.SetPullRequest(current, run.Repository, observed, time.GetUtcNow()), cancellationToken);
                }

                outcomes.Add(await MergeOneAsync(job, run.Repository, pull, cancellationToken));
            }
            catch (RunFailedException e)
            {
                outcomes.Add(new MergeOutcome(job.Id, run.Repository, pull.Number, "notMerged", $"Not merged: {e.Message}"));
            }
        }

        return outcomes;
    }

    private async Task<MergeOutcome> MergeOneAsync(Job job, string repository, PullRequest pull, CancellationToken cancellationToken)
    {
        var method = job.Publish.Merge.Method;
        var methodName = method.ToString().ToLowerInvariant();
        var decision = MergeGate.Decide(pull);
        if (pull.State != PullRequestState.Open)
        {
            return new MergeOutcome(job.Id, repository, pull.Number, "notMerged", $"Not merged: {decision.Reason}.");
        }

        var next = pull;
        string outcome, reason;
        switch (decision.Action)
        {
            case MergeAction.Merge:
            {
                var attempt = await host.MergeAsync(repository, pull, method, cancellationToken);
                (outcome, reason) = attempt.Done
                    ? ("merged", $"Merged with {methodName} at {Short(pull.HeadSha)}: {decision.Reason}.")
                    : ("notMerged", $"Not merged: GitHub refused ({attempt.Detail}).");
                next = attempt.Done ? PullRequestTracking.Merged(pull, time.GetUtcNow()) : pull;
                break;
            }

            case MergeAction.EnableAutoMerge:
            {
                var attempt = await host.EnableAutoMergeAsync(repository, pull, method, cancellationToken);
                (outcome, reason) = attempt.Done
                    ? ("autoMergeEnabled", $"Auto-merge enabled ({methodName}): {decision.Reason}; GitHub merges once they pass.")
                    : ("notMerged", $"Not merged yet: {decision.Reason}, and {attempt.Detail}.");
                next = pull with { AutoMergeEnabled = attempt.Done, AutoMergeUnavailable = !attempt.Done };
                break;
            }

            default:
                (outcome, reason) = ("notMerged", $"Not merged: {decision.Reason}.");
                break;
        }

        next = next with { MergeNote = reason };
        if (next != pull)
        {
            await store.UpdateAsync(
                job.Id,
                current => current.FindRun(repository)?.PullRequest is { } stored && stored.Number == pull.Number
                    ? JobLifecycle.SetPullRequest(current, repository, stored with
                    {
                        State = next.State,
                        History = next.History,
                        AutoMergeEnabled = next.AutoMergeEnabled,
                        AutoMergeUnavailable = next.AutoMergeUnavailable,
                        MergeNote = next.MergeNote,
                    }, time.GetUtcNow())
                    : null,
                cancellationToken);
        }

        LogMergeDecision(logger, repository, pull.Number, reason);
        return new MergeOutcome(job.Id, repository, pull.Number, outcome, reason);
    }

    private static string Short(string? sha) => sha is { Length: > 7 } ? sha[..7] : sha ?? "";

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull request {Repository}#{Number}: {Decision}")]
    private static partial void LogMergeDecision(ILogger logger, string repository, int number, string decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Merging pull request {Repository}#{Number} failed: {Error}")]
    private static partial void LogMergeFailed(ILogger logger, string repository, int number, string error);
}
