using System.Text;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Publishing the agent's stored work: a branch and pull request when the job asks for one and the
/// account may push, the patch alone otherwise. It needs nothing from the agent but its stored
/// result, so an attempt that resumes at publishing (a retry, a take-over after a crash) rebuilds
/// its input from the run: resolve, fetch the snapshot of the stored commit, apply the stored patch.
/// </summary>
public sealed class PublishStep(
    IRepositoryHost host, WorkspaceFactory workspaces, RunArtifacts artifacts, IOptions<CodyBatchOptions> options, TimeProvider time)
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
        string? notice = null;
        var broken = input.Verification?.Status == VerificationStatus.Broke
            ? string.Join(", ", input.Verification.BrokenChecks().Select(c => $"`{c.Name}`"))
            : null;
        if (patch.Length > 0 && WantsPullRequest(context) && !resolved.CanPush)
        {
            notice = $"No pull request: the service account may not push to {resolved.FullName}, so the change is here as a patch only.";
        }
        else if (OpensPullRequest(context, resolved, patch))
        {
            var changed = workspace ?? throw new InvalidOperationException("Publishing a pull request needs the changed workspace.");
            published = await host.PublishAsync(
                new PublishRequest(
                    context.Job.Id,
                    resolved,
                    changed.RepositoryPath,
                    patch,
                    (incomplete ? "[Incomplete] " : "") + (result.PullRequestTitle ?? context.Job.Title ?? FirstLine(context.Job.Prompt)),
                    PullRequestBody(result, context.Job, incomplete, input.Verification),
                    await changed.ListChangesAsync(cancellationToken),
                    Draft: incomplete || broken is not null)
                {
                    // A campaign shares one branch and pull request per repository across its jobs.
                    CampaignId = context.Job.CampaignId ?? context.Job.Id,
                    Existing = context.Run.PullRequest,
                },
                cancellationToken);
            pullRequest = Follow(published, context.Run.PullRequest, patch);
            if (published.Unchanged)
            {
                notice = $"Pull request #{published.Number} already holds this change, so nothing was pushed.";
            }
            else if (broken is not null)
            {
                notice = published.PullRequestUrl is not null
                    ? $"Opened as a draft pull request: the change broke {broken} (passed on the baseline, fails after the change)."
                    : $"No pull request: the change broke {broken} (passed on the baseline, fails after the change) and {resolved.FullName} cannot take it as a draft, so it is kept as the branch {published.Branch} and the patch.";
            }
        }
        else if (patch.Length == 0 && context.Run.PullRequest is { State: PullRequestState.Open } open)
        {
            notice = $"No change is necessary now; the campaign's pull request #{open.Number} is still open.";
        }
        else if (broken is not null && patch.Length > 0)
        {
            notice = (notice is null ? "" : notice + " ") + $"The change broke {broken} (passed on the baseline, fails after the change).";
        }

        return new RunOutcome
        {
            Status = incomplete ? RunStatus.Incomplete : RunStatus.Succeeded,
            WereChangesNecessary = result.WereChangesNecessary,
            Summary = result.Summary,
            Notice = notice,
            PatchArtifact = context.PatchArtifact,
            ThreadArtifact = context.ThreadArtifact,
            PullRequestUrl = published?.PullRequestUrl,
            PullRequestBranch = published?.Branch,
            PullRequest = pullRequest,
            CommitSha = resolved.CommitSha,
            Verification = input.Verification,
            Usage = context.TotalUsage,
        };
    }

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

    // A pull request job, or a patch-only run a user asked to publish later.
    private static bool WantsPullRequest(RunContext context) => context.Job.Mode == JobMode.PullRequest || context.Run.PublishRequested;

    private static bool OpensPullRequest(RunContext context, ResolvedRepository resolved, string patch) =>
        patch.Length > 0 && WantsPullRequest(context) && resolved.CanPush;

    private string PullRequestBody(AgentResult result, Job job, bool incomplete, Verification? verification)
    {
        var body = new StringBuilder();
        if (incomplete)
        {
            body.Append("> [!WARNING]\n> Incomplete: the agent ran out of its budget before it finished. This draft holds the changes made until then; review them with care.\n\n");
        }

        body.Append((result.PullRequestBody ?? result.Summary).Trim());
        if (verification is not null && verification.Status != VerificationStatus.Skipped)
        {
            body.Append("\n\n").Append(VerificationMarkdown.Section(verification).TrimEnd());
        }

        body.Append("\n\n---\n\nMade by Cody Batch for this prompt:\n\n");
        foreach (var line in job.Prompt.Split('\n'))
        {
            body.Append("> ").Append(line.TrimEnd('\r')).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(options.Value.PublicUrl))
        {
            body.Append($"\nJob: {options.Value.PublicUrl.TrimEnd('/')}/jobs/{job.Id}\n");
        }

        return body.ToString();
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 72 ? line : line[..71] + "…";
    }
}
