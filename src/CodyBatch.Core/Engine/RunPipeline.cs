using System.Text;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Artifacts;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Publishing;
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
    PullRequestComposer composer,
    IOptions<WorkerOptions> workerOptions,
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
            var decision = composer.Decide(context.Job, resolved, patch);
            var notice = decision.Notice;
            if (decision.OpensPullRequest)
            {
                try
                {
                    var changes = await workspace.ListChangesAsync(cancellationToken);
                    published = await host.PublishAsync(composer.Compose(context.Job, result, resolved, patch, workspace.RepositoryPath, changes, decision.Risk), cancellationToken);
                    notice = published.Notice;
                }
                catch (PublishSkippedException skipped)
                {
                    notice = skipped.Message;
                }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {JobId}/{Repository} failed: {Error}")]
    private static partial void LogRunFailed(ILogger logger, string jobId, string repository, string error);
}
