using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// What a follow-up round leaves on its pull request once it published: a reply under each line comment it addressed
/// ("Addressed in abc1234: …"), one summary comment, and the reviewer asked to review again. A refusal from the host is
/// said in the run's notice, never a failed round (its commit is pushed already).
/// </summary>
public sealed class RoundReporter(IPullRequestHost host, IOptions<ShepherdOptions> options)
{
    /// <summary>Reports round <paramref name="round"/> of <paramref name="job"/> on <paramref name="pull"/>; returns what went wrong, or null.</summary>
    /// <param name="job">The round's job.</param>
    /// <param name="repository">The repository.</param>
    /// <param name="round">The round.</param>
    /// <param name="pull">The pull request as the round found it.</param>
    /// <param name="pushed">The commit the round pushed; null when it pushed nothing.</param>
    /// <param name="summary">The agent's summary.</param>
    /// <param name="verification">The verification's one line, when there is one.</param>
    /// <param name="cancellationToken">Stops the writes.</param>
    public async Task<string?> ReportAsync(
        Job job, string repository, FollowUpRound round, PullRequest pull, string? pushed, string summary, string? verification, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        async Task TryAsync(Func<Task> write)
        {
            try
            {
                await write();
            }
            catch (RunFailedException e)
            {
                problems.Add(e.Message);
            }
        }

        if (pushed is not null && round.Kind is RoundSignalKind.Review or RoundSignalKind.ReviewComment)
        {
            var material = RoundMaterial.Empty;
            await TryAsync(async () => material = await host.ReadRoundAsync(repository, pull, round, cancellationToken));
            foreach (var comment in RoundBriefing.Addressed(material, options.Value.Handle).Where(c => c.OnLine))
            {
                await TryAsync(() => host.ReplyAsync(repository, pull, comment.Id, RoundBriefing.Reply(pushed, summary), cancellationToken));
            }
        }

        var maxRounds = (job.Publish.Rounds ?? options.Value.Policy).MaxRounds;
        await TryAsync(() => host.CommentAsync(repository, pull, RoundBriefing.Summary(round, maxRounds, pushed, summary, verification), cancellationToken));
        if (pushed is not null && round.Author is { } reviewer && round.Kind is RoundSignalKind.Review or RoundSignalKind.ReviewComment)
        {
            // GitHub lets a reviewer be asked again once they reviewed; it refuses the pull request's author only.
            await TryAsync(() => host.RequestReviewAsync(repository, pull, [reviewer], cancellationToken));
        }

        return problems.Count == 0 ? null : $"The round's report on the pull request was incomplete: {string.Join(" ", problems)}";
    }
}
