using CodyBatch.Core.Agent;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Publishing the agent's stored work: a branch and pull request when the job asks for one, the
/// account may push (or publish from a fork) and the change adds no probable secret; the patch
/// alone otherwise. <see cref="PullRequestComposer"/> decides and writes the pull request. It needs
/// nothing from the agent but its stored result, so an attempt that resumes at publishing (a retry, a take-over after a crash) rebuilds
/// its input from the run: resolve, fetch the snapshot of the stored commit, apply the stored patch.
/// </summary>
public sealed class PublishStep(
    IRepositoryHost host,
    WorkspaceFactory workspaces,
    RunArtifacts artifacts,
    PullRequestComposer composer,
    TimeProvider time,
    IPullRequestHost pullRequests,
    OverlapCheck overlaps,
    IOptions<CodyBatchOptions> options,
    RoundReporter rounds)
{
    /// <summary>Rebuilds what publishing needs from the result an earlier attempt stored.</summary>
    public async Task<PublishInput> ResumeAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var submission = run.Submission ?? throw new InvalidOperationException($"{run.Repository} has no stored result to publish.");
        context.PatchArtifact = run.PatchArtifact;
        context.ThreadArtifact = run.ThreadArtifact;
        context.CommitSha = submission.BaseCommitSha;
        var result = new AgentResult(run.WereChangesNecessary ?? false, run.Summary ?? "", submission.PullRequestTitle, submission.PullRequestBody);
        var incomplete = submission.Incomplete;
        await context.AdvanceAsync(RunStatus.Publishing, cancellationToken);

        // Resolved again for what may have changed since (push permission, default branch), pinned
        // to the commit the patch was made on.
        var current = await host.ResolveAsync(run.Source ?? run.Repository, cancellationToken);
        var resolved = current with { CommitSha = submission.BaseCommitSha, TreeSha = submission.BaseTreeSha };
        var patch = await artifacts.ReadPatchAsync(context, cancellationToken);
        if (!OpensPullRequest(context, resolved, patch))
        {
            return new PublishInput(result, resolved, patch, null, incomplete) { Verification = run.Verification };
        }

        var workspace = context.Workspace = workspaces.Create(context.Job.Id, run.Repository, run.Attempts);
        await host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, cancellationToken);
        await workspace.BaselineAsync(cancellationToken);
        await workspace.ApplyAsync(patch, cancellationToken);
        return new PublishInput(result, resolved, patch, workspace, incomplete) { Verification = run.Verification };
    }

    /// <summary>Publishes <paramref name="input"/> and returns how the run ended.</summary>
    public async Task<RunOutcome> PublishAsync(RunContext context, PublishInput input, CancellationToken cancellationToken)
    {
        var (result, resolved, patch, workspace, incomplete) = input;
        PublishedChange? published = null;
        PullRequest? pullRequest = null;
        var broken = input.Verification?.Status == VerificationStatus.Broke
            ? string.Join(", ", input.Verification.BrokenChecks().Select(c => $"`{c.Name}`"))
            : null;
        var decision = composer.Decide(context.Job, resolved, patch, context.Run.PublishRequested);
        var notice = decision.Notice;
        var held = false;
        string? overlap = null;
        if (decision.OpensPullRequest && !context.Run.PublishRequested && context.Run.Source is null)
        {
            // Open pull requests (from anyone) that touch the same files; a user's later "publish" has seen the notice already.
            var changes = await (workspace ?? throw new InvalidOperationException("Publishing a pull request needs the changed workspace.")).ListChangesAsync(cancellationToken);
            overlap = await overlaps.FindAsync(resolved.FullName, changes.Select(c => c.Path), context.Run.PullRequest?.Number, cancellationToken);
            held = overlap is not null && context.Job.Publish.Overlap == OverlapPolicy.Hold;
        }

        if (held)
        {
            notice = $"{overlap} No pull request was opened (publish.overlap is hold): the change is kept as the patch; publish it when those are settled.";
        }
        else if (decision.OpensPullRequest)
        {
            var changed = workspace ?? throw new InvalidOperationException("Publishing a pull request needs the changed workspace.");
            try
            {
                var request = composer.Compose(
                    context.Job, result, resolved, patch, changed.RepositoryPath, await changed.ListChangesAsync(cancellationToken), decision.Risk, incomplete, input.Verification);
                published = await host.PublishAsync(
                    request with
                    {
                        // A campaign shares one branch and pull request per repository across its jobs.
                        CampaignId = context.Job.CampaignId ?? context.Job.Id,
                        Existing = context.Run.PullRequest,
                        Round = context.Run.Round,
                        CommitMessage = context.Run.Round is { } round ? RoundBriefing.CommitMessage(round, result.Summary) : null,
                    },
                    cancellationToken);
                notice = published.Notice;
                pullRequest = Follow(published, context.Run.PullRequest, patch);
                if (published.Unchanged)
                {
                    var unchanged = $"Pull request #{published.Number} already holds this change, so nothing was pushed.";
                    notice = notice is null ? unchanged : $"{unchanged} {notice}";
                }

                if (!published.Unchanged && pullRequest?.HeadSha is { } head
                    && await PublishVerificationAsync(context, head, input.Verification, cancellationToken) is { } problem)
                {
                    notice = notice is null ? problem : $"{notice} {problem}";
                }

                if (overlap is not null)
                {
                    notice = notice is null ? overlap : $"{notice} {overlap}";
                }

                if (context.Run.Round is { } done && context.Run.PullRequest is { } before
                    && await rounds.ReportAsync(
                        context.Job, context.Run.Repository, done, before, published.Unchanged ? null : pullRequest?.HeadSha, result.Summary,
                        VerificationReports.For(input.Verification, null, context.Job.Id)?.Description, cancellationToken) is { } unreported)
                {
                    notice = notice is null ? unreported : $"{notice} {unreported}";
                }

                if (broken is not null)
                {
                    var brokeNotice = published.PullRequestUrl is not null
                        ? $"Opened as a draft pull request: the change broke {broken} (passed on the baseline, fails after the change)."
                        : $"No pull request: the change broke {broken} (passed on the baseline, fails after the change) and {resolved.FullName} cannot take it as a draft, so it is kept as the branch {published.Branch} and the patch.";
                    notice = notice is null ? brokeNotice : $"{brokeNotice} {notice}";
                }
            }
            catch (PublishSkippedException skipped)
            {
                // Found before anything was pushed (a workflow file the token may not change): the patch stays, the run says why.
                notice = skipped.Message;
            }
        }
        else if (broken is not null && patch.Length > 0)
        {
            notice = (notice is null ? "" : notice + " ") + $"The change broke {broken} (passed on the baseline, fails after the change).";
        }
        else if (context.Run.Round is { } idle && context.Run.PullRequest is { } unchanged)
        {
            // A round that found nothing to change says so on the pull request.
            notice = await rounds.ReportAsync(context.Job, context.Run.Repository, idle, unchanged, null, result.Summary, null, cancellationToken) ?? notice;
        }
        else if (patch.Length == 0 && context.Run.PullRequest is { State: PullRequestState.Open } open)
        {
            notice = $"No change is necessary now; the campaign's pull request #{open.Number} is still open.";
        }

        return new RunOutcome
        {
            Status = incomplete ? RunStatus.Incomplete : RunStatus.Succeeded,
            WereChangesNecessary = result.WereChangesNecessary,
            Summary = result.Summary,
            Notice = notice,
            PatchArtifact = context.PatchArtifact,
            Changes = patch.Length > 0 ? DiffStat.Of(patch) : null,
            ThreadArtifact = context.ThreadArtifact,
            ThreadEntries = context.StoredThreadEntries,
            PullRequestUrl = published?.PullRequestUrl,
            PullRequestBranch = published?.Branch,
            PullRequest = pullRequest,
            CommitSha = resolved.CommitSha,
            Verification = input.Verification,
            Usage = context.TotalUsage,
            Held = held,
        };
    }

    // The verification on the pull request's new head (a head that did not move has it already); a refusal is said, never a failed run.
    private async Task<string?> PublishVerificationAsync(RunContext context, string head, Verification? verification, CancellationToken cancellationToken)
    {
        if (VerificationReports.For(verification, options.Value.PublicUrl, context.Job.Id) is not { } report)
        {
            return null;
        }

        try
        {
            await pullRequests.PublishVerificationAsync(context.Run.Repository, head, report, cancellationToken);
            return null;
        }
        catch (RunFailedException e)
        {
            return $"The verification was not published on the pull request: {e.Message}";
        }
    }

    // Whether the change may become a pull request (a probable secret, no push and no fork: never);
    // a patch-only run a user asked to publish later counts as a pull request job.
    private bool OpensPullRequest(RunContext context, ResolvedRepository resolved, string patch) =>
        composer.Decide(context.Job, resolved, patch, context.Run.PublishRequested).OpensPullRequest;

    // The pull request to follow from now on: the campaign's, moved to the new head, or a new one.
    private PullRequest? Follow(PublishedChange published, PullRequest? existing, string patch)
    {
        if (published.Number is not { } number || published.PullRequestUrl is not { } url)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var digest = PullRequestTracking.Digest(patch);
        if (existing is not null && existing.Number == number)
        {
            return published.Unchanged ? existing : PullRequestTracking.Updated(existing, published.HeadSha ?? existing.HeadSha ?? "", digest, now);
        }

        return PullRequestTracking.Opened(url, number, published.Branch, published.HeadSha, published.Draft, digest, now);
    }
}
