using System.Text;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Artifacts;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// The steps of one repository run: resolve, fetch a snapshot into a fresh workspace, baseline
/// it, let the agent work, make the patch, publish, and store the artifacts.
/// </summary>
public sealed partial class RunPipeline(
    IRepositoryHost host,
    ICodeAgent agent,
    IArtifactStore artifacts,
    WorkspaceFactory workspaces,
    SecretRedactor redactor,
    IOptions<CodyBatchOptions> options,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider time,
    ILogger<RunPipeline> logger)
{
    /// <summary>
    /// Runs the steps and returns how the attempt ended. Throws <see cref="OperationCanceledException"/>
    /// only when <paramref name="cancellationToken"/> stopped it; the thread so far is stored first.
    /// </summary>
    public async Task<RunOutcome> ExecuteAsync(RunContext context, CancellationToken cancellationToken)
    {
        var repository = context.Run.Repository;
        var stage = RunStatus.Fetching;
        RunActivity.Current = new RunActivity(activity => context.ShowActivityAsync(activity, CancellationToken.None));
        Workspace? workspace = null;
        var failed = true;
        try
        {
            var resolved = await host.ResolveAsync(context.Run.Source ?? repository, cancellationToken);
            context.CommitSha = resolved.CommitSha;
            workspace = workspaces.Create(context.Job.Id, repository, context.Run.Attempts);
            await host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, cancellationToken);
            await workspace.BaselineAsync(cancellationToken);

            stage = RunStatus.Analyzing;
            await context.AdvanceAsync(stage, cancellationToken);
            var agentOutcome = await agent.RunAsync(
                new AgentRequest(context.Job.Prompt, context.Job.Model, repository, workspace.RepositoryPath, context.Thread, context, workspace),
                cancellationToken);
            context.Report(agentOutcome.Usage);
            var result = agentOutcome.Result
                ?? throw new RunFailedException(agentOutcome.FailureReason ?? "The agent ended without reporting a result.");

            stage = RunStatus.Publishing;
            await context.AdvanceAsync(stage, cancellationToken);
            var patch = await workspace.CreatePatchAsync(cancellationToken);
            if (patch.Length > 0)
            {
                var key = ArtifactKeys.Patch(context.Job.Id, repository);
                await artifacts.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(patch)), "text/x-diff", cancellationToken);
                context.PatchArtifact = key;
            }

            PublishedChange? published = null;
            PullRequest? pullRequest = null;
            string? notice = null;
            if (patch.Length > 0 && context.Job.Mode == JobMode.PullRequest && !resolved.CanPush)
            {
                notice = $"No pull request: the service account may not push to {resolved.FullName}, so the change is here as a patch only.";
            }
            else if (patch.Length > 0 && context.Job.Mode == JobMode.PullRequest)
            {
                published = await host.PublishAsync(
                    new PublishRequest(
                        context.Job.Id,
                        resolved,
                        workspace.RepositoryPath,
                        patch,
                        result.PullRequestTitle ?? context.Job.Title ?? FirstLine(context.Job.Prompt),
                        PullRequestBody(result, context.Job),
                        await workspace.ListChangesAsync(cancellationToken))
                    {
                        CampaignId = context.Job.CampaignId ?? context.Job.Id,
                        Existing = context.Run.PullRequest,
                    },
                    cancellationToken);
                pullRequest = Follow(published, context.Run.PullRequest, patch);
                if (published.Unchanged)
                {
                    notice = $"Pull request #{published.Number} already holds this change, so nothing was pushed.";
                }
            }
            else if (patch.Length == 0 && context.Run.PullRequest is { State: PullRequestState.Open } open)
            {
                notice = $"No change is necessary now; the campaign's pull request #{open.Number} is still open.";
            }

            await StoreThreadAsync(context);
            failed = false;
            return new RunOutcome
            {
                Status = RunStatus.Succeeded,
                WereChangesNecessary = result.WereChangesNecessary,
                Summary = result.Summary,
                Notice = notice,
                PatchArtifact = context.PatchArtifact,
                ThreadArtifact = context.ThreadArtifact,
                PullRequestUrl = published?.PullRequestUrl,
                PullRequestBranch = published?.Branch,
                PullRequest = pullRequest,
                CommitSha = context.CommitSha,
                Usage = context.TotalUsage,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StoreThreadAsync(context);
            throw;
        }
        catch (Exception e) when (e is not LeaseLostException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            var message = e is RunFailedException
                ? e.Message
                : $"Unexpected error while {stage.ToString().ToLowerInvariant()}: {e.Message}";
            message = redactor.Redact(message);
            LogRunFailed(logger, context.Job.Id, repository, message);
            context.Thread.Add("error", new() { ["message"] = message });
            await StoreThreadAsync(context);
            return new RunOutcome
            {
                Status = RunStatus.Failed,
                Error = message,
                PatchArtifact = context.PatchArtifact,
                ThreadArtifact = context.ThreadArtifact,
                CommitSha = context.CommitSha,
                Usage = context.TotalUsage,
            };
        }
        finally
        {
            if (workspace is not null)
            {
                if (failed && workerOptions.Value.KeepFailedWorkspaces)
                {
                    workspace.Keep();
                }

                await workspace.DisposeAsync();
            }
        }
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

    private async Task StoreThreadAsync(RunContext context)
    {
        if (context.Thread.Count == 0)
        {
            return;
        }

        // Stored even when the run was cancelled: the partial thread is what explains it.
        var key = ArtifactKeys.Thread(context.Job.Id, context.Run.Repository);
        await artifacts.PutAsync(key, new MemoryStream(context.Thread.ToJson(redactor)), "application/json", CancellationToken.None);
        context.ThreadArtifact = key;
    }

    private string PullRequestBody(AgentResult result, Job job)
    {
        var body = new StringBuilder((result.PullRequestBody ?? result.Summary).Trim());
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {JobId}/{Repository} failed: {Error}")]
    private static partial void LogRunFailed(ILogger logger, string jobId, string repository, string error);
}
