using CodyBatch.Core.Agent;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Telemetry;
using CodyBatch.Core.Workspaces;

namespace CodyBatch.Core.Engine;

/// <summary>
/// The paid part of a run: resolve the repository, fetch its snapshot into a fresh workspace and
/// baseline it, let the agent work, make the patch, and store the result, the patch and the thread
/// on the run before anything is published. When a budget ran out before the agent submitted, the
/// work so far is stored the same way and the run goes on to end incomplete.
/// </summary>
public sealed class AgentStep(
    IRepositoryHost host,
    ICodeAgent agent,
    WorkspaceFactory workspaces,
    RunArtifacts artifacts,
    VerificationStep verification,
    RunEnvironments environments,
    TimeProvider time,
    IPullRequestHost pullRequests,
    Microsoft.Extensions.Options.IOptions<ShepherdOptions> shepherd)
{
    /// <summary>Runs the agent's part and returns what publishing needs; the result is stored when this returns.</summary>
    public async Task<PublishInput> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var repository = context.Run.Repository;
        ResolvedRepository resolved;
        Workspace workspace;
        string? followUp = null;
        using (CodyBatchTelemetry.StartStage("snapshot"))
        {
            resolved = await host.ResolveAsync(context.Run.Source ?? repository, cancellationToken);
            if (context.Run.Round is { } round && context.Run.PullRequest is { } pull)
            {
                // A round is told its cause as quoted data; one that adds a commit works on the pull request's head.
                var material = await pullRequests.ReadRoundAsync(repository, pull, round, cancellationToken);
                followUp = RoundBriefing.ForAgent(round, material, shepherd.Value.Handle);
                context.Thread.Add("follow_up_round", new() { ["round"] = round.Number, ["reason"] = round.Reason, ["headSha"] = material.HeadSha });
                if (!round.Rebuilds && material.HeadSha is { } head)
                {
                    resolved = resolved with { CommitSha = head, TreeSha = material.HeadTreeSha };
                }
            }

            context.CommitSha = resolved.CommitSha;
            workspace = context.Workspace = workspaces.Create(context.Job.Id, repository, context.Run.Attempts);
            await host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, cancellationToken);
            await workspace.BaselineAsync(cancellationToken);
        }

        CheckState checks;
        AgentOutcome outcome;

        // The run's environment (home, network, shell) lasts through setup, the baseline and the agent: every process
        // the shell started and the egress proxy end before the patch is made.
        await using (var environment = await StageAsync("setup", () => environments.OpenAsync(context.Job, workspace, context.Thread, cancellationToken, resolved.CommitSha, repository)))
        {
            using (CodyBatchTelemetry.StartStage("checks before"))
            {
                checks = await WithActivityAsync(context, "Running the repository's checks on the snapshot", () => verification.BaselineAsync(context.Job.Checks, workspace, context.Thread, cancellationToken, environment));
            }

            await context.AdvanceAsync(RunStatus.Analyzing, cancellationToken);
            using var agentStage = CodyBatchTelemetry.StartStage("agent");
            outcome = await agent.RunAsync(
                new AgentRequest(context.Job.Prompt, context.Job.Model, repository, workspace.RepositoryPath, context.Thread, context, workspace, context.Job.ThinkingBudgetTokens)
                {
                    Checks = verification.ForAgent(checks, workspace, context.Thread),
                    Shell = environment.Shell,
                    JobBudget = context.Budget,
                    FollowUp = followUp,
                    MaxCostUsd = context.Run.Round is null ? null : (context.Job.Publish.Rounds ?? shepherd.Value.Policy).MaxCostUsd,
                },
                cancellationToken);

            // A change to setup's files gets setup again in the checks' copy while the run's network is still up (it gets
            // that network only when Claude had a shell: see CheckState.SetupAfterOffline).
            await verification.SetupAfterChangeAsync(checks, workspace, context.Thread, cancellationToken);
        }

        context.Report(outcome.Usage);
        var patch = await StageAsync("patch", () => workspace.CreatePatchAsync(cancellationToken));
        var result = outcome.Result
            ?? (outcome.IsIncomplete ? IncompleteResult(outcome, patch) : null)
            ?? throw new RunFailedException(outcome.FailureReason ?? "The agent ended without reporting a result.");

        if (patch.Length > 0)
        {
            await artifacts.StorePatchAsync(context, patch, cancellationToken);
        }

        Verification? verified;
        using (CodyBatchTelemetry.StartStage("checks after"))
        {
            verified = await WithActivityAsync(context, "Running the repository's checks on the change", () => verification.VerifyAsync(checks, workspace, context.Thread, patch.Length > 0, cancellationToken));
        }

        await artifacts.StoreThreadAsync(context);
        var submission = new AgentSubmission
        {
            PullRequestTitle = result.PullRequestTitle,
            PullRequestBody = result.PullRequestBody,
            BaseCommitSha = resolved.CommitSha,
            BaseTreeSha = resolved.TreeSha,
            Incomplete = outcome.IsIncomplete,
            SubmittedAt = time.GetUtcNow(),
        };
        await context.SubmitAsync(
            new SubmittedWork(result, submission, context.PatchArtifact, context.ThreadArtifact, context.TotalUsage) { Verification = verified }, cancellationToken);
        return new PublishInput(result, resolved, patch, workspace, outcome.IsIncomplete) { Verification = verified };
    }

    /// <summary>
    /// A triage run: the snapshot is fetched and Claude reads it with the read-only tools and answers whether the
    /// change is necessary; nothing is set up, checked, changed or published. A budget that runs out first ends it
    /// incomplete without an answer.
    /// </summary>
    public async Task<RunOutcome> TriageAsync(RunContext context, CancellationToken cancellationToken)
    {
        var repository = context.Run.Repository;

        // The baseline lists the files the way git does for the overview, search and find tools.
        var (resolved, workspace) = await SnapshotAsync(context, cancellationToken);
        await context.AdvanceAsync(RunStatus.Analyzing, cancellationToken);
        AgentOutcome outcome;
        using (CodyBatchTelemetry.StartStage("agent"))
        {
            outcome = await agent.RunAsync(
                new AgentRequest(context.Job.Prompt, context.Job.Model, repository, workspace.RepositoryPath, context.Thread, context, workspace, context.Job.ThinkingBudgetTokens)
                {
                    Triage = true,
                    JobBudget = context.Budget,
                },
                cancellationToken);
        }

        context.Report(outcome.Usage);
        if (outcome.Result is null && !outcome.IsIncomplete)
        {
            throw new RunFailedException(outcome.FailureReason ?? "The agent ended without answering.");
        }

        // A run ends from publishing (the lifecycle's rule); for triage that stage only records the answer.
        await context.AdvanceAsync(RunStatus.Publishing, cancellationToken);
        if (outcome.Result is not { } result)
        {
            return new RunOutcome { Status = RunStatus.Incomplete, Summary = $"Incomplete: {outcome.FailureReason} Triage gave no answer.", CommitSha = resolved.CommitSha, Usage = context.TotalUsage };
        }

        return new RunOutcome
        {
            Status = RunStatus.Succeeded,
            WereChangesNecessary = result.WereChangesNecessary,
            Summary = result.Summary,
            Triage = new TriageAnswer(result.WereChangesNecessary, result.Summary, result.Confidence ?? 0),
            CommitSha = resolved.CommitSha,
            Usage = context.TotalUsage,
        };
    }

    // Resolves the repository and fetches its snapshot into a fresh workspace, baselined.
    private async Task<(ResolvedRepository Resolved, Workspace Workspace)> SnapshotAsync(RunContext context, CancellationToken cancellationToken)
    {
        using var span = CodyBatchTelemetry.StartStage("snapshot");
        var resolved = await host.ResolveAsync(context.Run.Source ?? context.Run.Repository, cancellationToken);
        context.CommitSha = resolved.CommitSha;
        var workspace = context.Workspace = workspaces.Create(context.Job.Id, context.Run.Repository, context.Run.Attempts);
        await host.FetchSnapshotAsync(resolved, workspace.RepositoryPath, cancellationToken);
        await workspace.BaselineAsync(cancellationToken);
        return (resolved, workspace);
    }

    private static async Task<T> StageAsync<T>(string stage, Func<Task<T>> step)
    {
        using var span = CodyBatchTelemetry.StartStage(stage);
        return await step();
    }

    private static async Task<T> WithActivityAsync<T>(RunContext context, string activity, Func<Task<T>> step)
    {
        await context.ShowActivityAsync(activity, CancellationToken.None);
        try
        {
            return await step();
        }
        finally
        {
            await context.ShowActivityAsync(null, CancellationToken.None);
        }
    }

    // A budget ran out: the work so far is the result, said plainly, so that nothing paid for is lost.
    private static AgentResult IncompleteResult(AgentOutcome outcome, string patch) => new(
        WereChangesNecessary: patch.Length > 0,
        Summary: patch.Length > 0
            ? $"Incomplete: {outcome.FailureReason} The changes made until then are kept in the patch; review them before using them, or retry the run."
            : $"Incomplete: {outcome.FailureReason} No change had been made by then.",
        PullRequestTitle: null,
        PullRequestBody: null);
}
