using CodyBatch.Core.Engine;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Starts a follow-up round a decision asked for: a new job of the campaign with one run of the repository, on the
/// pull request, carrying the round (<see cref="FollowUpRound"/>). Its id is fixed in the same store write that kept
/// the decision, so however many processes or deliveries saw the cause, one job is created for it; a creation lost
/// to a crash is made up by the next <see cref="ResumeAsync"/>.
/// </summary>
public sealed partial class RoundStarter(IJobStore store, WorkSignal signal, TimeProvider time, ILogger<RoundStarter> logger, Access.AuditTrail? audit = null)
{
    /// <summary>Creates the round's job <paramref name="roundJobId"/> from <paramref name="owner"/>'s run of <paramref name="repository"/> (a job that exists is left alone).</summary>
    public async Task StartAsync(Job owner, string repository, string roundJobId, FollowUpRound round, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(roundJobId, cancellationToken) is not null || owner.FindRun(repository) is not { PullRequest: { } pull })
        {
            return;
        }

        var now = time.GetUtcNow();
        // The campaign's re-run of the owner (same prompt, model, checks, shell, network, settings), for this repository only.
        var rerun = JobLifecycle.Rerun(owner, now);
        var job = rerun with
        {
            Id = roundJobId,
            Author = Access.Caller.Shepherd.Name,
            Runs = [rerun.FindRun(repository)! with { PullRequest = pull, Round = round }],
        };
        try
        {
            await store.CreateAsync(job, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (await store.GetAsync(roundJobId, CancellationToken.None) is not null)
            {
                // Another process created it first: one round per cause.
                return;
            }

            throw;
        }

        signal.Notify();
        LogStarted(logger, repository, round.PullRequest, round.Number, roundJobId);
        if (round.OriginJobId != owner.Id)
        {
            // The rounds are shown under the run that opened the pull request.
            var started = new ShepherdRound(round.Number, roundJobId, round.Cause, round.Reason, now);
            await store.UpdateAsync(
                round.OriginJobId,
                current => current.FindRun(repository)?.PullRequest is { } origin && origin.Number == round.PullRequest && origin.Shepherd.Started.All(s => s.JobId != roundJobId)
                    ? JobLifecycle.SetPullRequest(current, repository, origin with
                    {
                        Shepherd = origin.Shepherd with { Rounds = Math.Max(origin.Shepherd.Rounds, round.Number), Started = [.. origin.Shepherd.Started, started] },
                    }, now)
                    : null,
                cancellationToken);
        }

        await (audit?.RecordAsync(Access.Caller.Shepherd, "shepherd.roundStarted", $"{repository}#{round.PullRequest}", "started", cancellationToken, detail: $"job {roundJobId} (round {round.Number}): {round.Reason}")
            ?? Task.CompletedTask);
    }

    /// <summary>Creates the jobs of rounds <paramref name="job"/>'s pull requests recorded as started but which do not exist (a process ended in between).</summary>
    public async Task ResumeAsync(Job job, CancellationToken cancellationToken)
    {
        foreach (var run in job.Runs)
        {
            if (run.PullRequest is not { } pull)
            {
                continue;
            }

            foreach (var decision in pull.Shepherd.Decisions.Where(d => d.RoundJobId is not null))
            {
                var started = pull.Shepherd.Started.FirstOrDefault(s => s.JobId == decision.RoundJobId);
                if (started is not null && JobId.IsValid(decision.RoundJobId) && await store.GetAsync(decision.RoundJobId!, cancellationToken) is null)
                {
                    await StartAsync(job, run.Repository, decision.RoundJobId!, RoundFor(job, run, started, decision), cancellationToken);
                }
            }
        }
    }

    /// <summary>The round a decision starts on <paramref name="run"/>'s pull request.</summary>
    public static FollowUpRound RoundFor(Job owner, RepositoryRun run, ShepherdRound started, ShepherdDecision decision, string? author = null)
    {
        var colon = decision.Cause.IndexOf(':', StringComparison.Ordinal);
        var kind = Enum.TryParse<RoundSignalKind>(decision.Cause[..Math.Max(colon, 0)], ignoreCase: true, out var parsed) ? parsed : RoundSignalKind.Review;
        return new FollowUpRound
        {
            OriginJobId = run.Round?.OriginJobId ?? owner.Id,
            PullRequest = run.PullRequest!.Number,
            Number = started.Number,
            Kind = kind,
            Cause = decision.Cause,
            Reason = decision.Reason,
            SignalId = kind is RoundSignalKind.Review or RoundSignalKind.ReviewComment or RoundSignalKind.Comment ? decision.Cause[(colon + 1)..] : null,
            Author = author,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Follow-up round {Round} on {Repository}#{Number} started as job {JobId}")]
    private static partial void LogStarted(ILogger logger, string repository, int number, int round, string jobId);
}
