using CodyBatch.Core.Agent;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;

namespace CodyBatch.Core.Engine;

/// <summary>
/// The paid part of a run: resolve the repository, fetch its snapshot into a fresh workspace and
/// baseline it, let the agent work, make the patch, and store the result, the patch and the thread
/// on the run before anything is published.
/// </summary>
public sealed class AgentStep(IRepositoryHost host, ICodeAgent agent, WorkspaceFactory workspaces, RunArtifacts artifacts, TimeProvider time)
{
    /// <summary>Runs the agent's part and returns what publishing needs; the result is stored when this returns.</summary>
    public async Task<PublishInput> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var repository = context.Run.Repository;
        var resolved = await host.ResolveAsync(context.Run.Source ?? repository, cancellationToken);
        context.CommitSha = resolved.CommitSha;
        var workspace = context.Workspace = workspaces.Create(context.Job.Id, repository, context.Run.Attempts);
        await host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, cancellationToken);
        await workspace.BaselineAsync(cancellationToken);

        await context.AdvanceAsync(RunStatus.Analyzing, cancellationToken);
        var outcome = await agent.RunAsync(
            new AgentRequest(context.Job.Prompt, context.Job.Model, repository, workspace.RepositoryPath, context.Thread, context, workspace),
            cancellationToken);
        context.Report(outcome.Usage);
        var result = outcome.Result
            ?? throw new RunFailedException(outcome.FailureReason ?? "The agent ended without reporting a result.");

        var patch = await workspace.CreatePatchAsync(cancellationToken);
        if (patch.Length > 0)
        {
            await artifacts.StorePatchAsync(context, patch, cancellationToken);
        }

        await artifacts.StoreThreadAsync(context);
        var submission = new AgentSubmission
        {
            PullRequestTitle = result.PullRequestTitle,
            PullRequestBody = result.PullRequestBody,
            BaseCommitSha = resolved.CommitSha,
            BaseTreeSha = resolved.TreeSha,
            SubmittedAt = time.GetUtcNow(),
        };
        await context.SubmitAsync(new SubmittedWork(result, submission, context.PatchArtifact, context.ThreadArtifact, context.TotalUsage), cancellationToken);
        return new PublishInput(result, resolved, patch, workspace);
    }
}
