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

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull request {Repository}#{Number}: {Decision}")]
    private static partial void LogDecision(ILogger logger, string repository, int number, string decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The comment that a person is needed on {Repository}#{Number} failed: {Error}")]
    private static partial void LogCommentFailed(ILogger logger, string repository, int number, string error);
}
