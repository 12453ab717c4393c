using CodyBatch.Core.Engine;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Weighs a review, a comment or another event on a followed pull request with <see cref="RoundTriggers"/> and keeps
/// the decision on the pull request, where the API shows it. The first decision past the bound of rounds leaves one
/// comment saying a person is needed. A "round due" decision starts the round (<see cref="RoundStarter"/>): the round's
/// job id is fixed in the same optimistic write that keeps the decision, so one cause starts one round whichever process
/// and delivery saw it. A pull request several jobs of a campaign follow is decided by the newest of them only.
/// </summary>
public sealed partial class RoundDecider(
    IJobStore store,
    IPullRequestHost host,
    IOptions<ShepherdOptions> options,
    TimeProvider time,
    ILogger<RoundDecider> logger,
    Access.AuditTrail? audit = null,
    RoundStarter? starter = null)
{
    /// <summary>Decides <paramref name="signal"/> for the job's run of <paramref name="repository"/> with pull request <paramref name="number"/>.</summary>
    public async Task<RoundDecision?> DecideAsync(string jobId, string repository, int number, RoundSignal signal, CancellationToken cancellationToken)
    {
        if (!await DecidesAsync(jobId, repository, number, cancellationToken))
        {
            return null;
        }

        RoundDecision? decision = null;
        PullRequest? pull = null;
        FollowUpRound? round = null;
        var recorded = false;
        var roundJobId = JobId.New(time.GetUtcNow());
        await store.UpdateAsync(
            jobId,
            current =>
            {
                decision = null;
                round = null;
                recorded = false;
                if (current.FindRun(repository) is not { PullRequest: { } stored } run || stored.Number != number)
                {
                    return null;
                }

                pull = stored;
                var now = time.GetUtcNow();
                decision = RoundTriggers.Decide(stored, signal, options.Value.Handle, current.Publish.Rounds ?? options.Value.Policy);
                var next = RoundTriggers.Record(stored, decision, now);
                recorded = !ReferenceEquals(next, stored);
                if (recorded && decision.Due && starter is not null)
                {
                    // The round's job id is kept with the decision in this one write: whoever wins it starts the round.
                    var started = new ShepherdRound(stored.Shepherd.Rounds + 1, roundJobId, decision.Cause, decision.Reason, now);
                    var kept = next.Shepherd.Decisions[^1] with { RoundJobId = roundJobId };
                    next = next with
                    {
                        Shepherd = next.Shepherd with
                        {
                            Rounds = started.Number,
                            Started = [.. next.Shepherd.Started, started],
                            Decisions = [.. next.Shepherd.Decisions.SkipLast(1), kept],
                        },
                    };
                    round = RoundStarter.RoundFor(current, run, started, kept, signal.Author);
                }

                return recorded ? JobLifecycle.SetPullRequest(current, repository, next, now) : null;
            },
            cancellationToken);
        if (decision is null)
        {
            return null;
        }

        LogDecision(logger, repository, number, decision.Reason);
        if (recorded && audit is not null)
        {
            // One entry per cause weighed (a redelivery records nothing new); the reason names who asked and why.
            await audit.RecordAsync(
                Access.Caller.Shepherd,
                "shepherd.decided",
                $"{repository}#{number}",
                decision.NeedsAttention ? "needsAttention" : decision.Due ? "roundDue" : "noRound",
                cancellationToken,
                detail: $"job {jobId}: {decision.Reason}");
        }

        if (round is not null && await store.GetAsync(jobId, cancellationToken) is { } stored)
        {
            await starter!.StartAsync(stored, repository, roundJobId, round, cancellationToken);
        }

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
                || pull.Shepherd.Decisions.Any(d => d.Cause == $"failingchecks:{head}")
                || !await DecidesAsync(jobId, run.Repository, pull.Number, cancellationToken))
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

    // Several jobs of a campaign follow one pull request (each re-run and each round carries it); the newest decides, so
    // one cause is weighed once and a bound is counted once.
    private async Task<bool> DecidesAsync(string jobId, string repository, int number, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return false;
        }

        var campaign = job.CampaignId ?? job.Id;
        var followers = await store.ListWithOpenPullRequestsAsync(cancellationToken);
        return !followers.Any(other => string.CompareOrdinal(other.Id, jobId) > 0
            && (other.CampaignId ?? other.Id) == campaign
            && other.FindRun(repository)?.PullRequest?.Number == number);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The failing checks of {Repository}#{Number} could not be read: {Error}")]
    private static partial void LogChecksUnread(ILogger logger, string repository, int number, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull request {Repository}#{Number}: {Decision}")]
    private static partial void LogDecision(ILogger logger, string repository, int number, string decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The comment that a person is needed on {Repository}#{Number} failed: {Error}")]
    private static partial void LogCommentFailed(ILogger logger, string repository, int number, string error);
}
