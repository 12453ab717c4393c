using CodyBatch.Core.Engine;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Weighs a review, a comment or another event on a followed pull request with <see cref="RoundTriggers"/> and keeps
/// the decision on the pull request, where the API shows it. The first decision past the bound of rounds leaves one
/// comment saying a person is needed. (Starting the round a "round due" decision asks for is not built yet.)
/// </summary>
public sealed partial class RoundDecider(IJobStore store, IPullRequestHost host, IOptions<ShepherdOptions> options, TimeProvider time, ILogger<RoundDecider> logger)
{
    /// <summary>Decides <paramref name="signal"/> for the job's run of <paramref name="repository"/> with pull request <paramref name="number"/>.</summary>
    public async Task<RoundDecision?> DecideAsync(string jobId, string repository, int number, RoundSignal signal, CancellationToken cancellationToken)
    {
        RoundDecision? decision = null;
        PullRequest? pull = null;
        await store.UpdateAsync(
            jobId,
            current =>
            {
                decision = null;
                if (current.FindRun(repository)?.PullRequest is not { } stored || stored.Number != number)
                {
                    return null;
                }

                pull = stored;
                decision = RoundTriggers.Decide(stored, signal, options.Value.Handle, options.Value.MaxRounds);
                var next = RoundTriggers.Record(stored, decision, time.GetUtcNow());
                return ReferenceEquals(next, stored) ? null : JobLifecycle.SetPullRequest(current, repository, next, time.GetUtcNow());
            },
            cancellationToken);
        if (decision is null)
        {
            return null;
        }

        LogDecision(logger, repository, number, decision.Reason);
        if (decision.NeedsAttention)
        {
            try
            {
                await host.CommentAsync(repository, pull!, options.Value.NeedsAttentionComment, cancellationToken);
            }
            catch (RunFailedException e)
            {
                LogCommentFailed(logger, repository, number, e.Message);
            }
        }

        return decision;
    }

    /// <summary>
    /// For each open pull request of the job whose head's checks fail and were not weighed for that head yet: reads
    /// which checks fail on the head and on the base branch's commit, and decides (failures the base has too start nothing).
    /// </summary>
    public async Task FollowChecksAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return;
        }

        foreach (var run in job.Runs)
        {
            if (run.PullRequest is not { State: PullRequestState.Open, Checks: ChecksState.Failure, HeadSha: { } head } pull
                || pull.Shepherd.Decisions.Any(d => d.Cause == $"failingchecks:{head}"))
            {
                continue;
            }

            try
            {
                var (onHead, onBase) = await host.FailingChecksAsync(run.Repository, pull, cancellationToken);
                // One round per head; a refusal for failures the base has too is kept per set of failures, so one that appears later still counts.
                var inherited = onHead.All(onBase.Contains);
                var id = inherited ? $"{head}:inherited:{string.Join(",", onHead)}" : head;
                await DecideAsync(jobId, run.Repository, pull.Number, new RoundSignal { Kind = RoundSignalKind.FailingChecks, Id = id, FailingOnHead = onHead, FailingOnBase = onBase }, cancellationToken);
            }
            catch (RunFailedException e)
            {
                // Weighed at the next change or refresh.
                LogChecksUnread(logger, run.Repository, pull.Number, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The failing checks of {Repository}#{Number} could not be read: {Error}")]
    private static partial void LogChecksUnread(ILogger logger, string repository, int number, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull request {Repository}#{Number}: {Decision}")]
    private static partial void LogDecision(ILogger logger, string repository, int number, string decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The comment that a person is needed on {Repository}#{Number} failed: {Error}")]
    private static partial void LogCommentFailed(ILogger logger, string repository, int number, string error);
}
