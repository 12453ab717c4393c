using CodyBatch.Core.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Engine;

/// <summary>
/// One attempt of one repository run, in two steps with a stored result between them: the agent's
/// part (<see cref="AgentStep"/>: resolve, fetch, baseline, agent, patch, then the result, patch and
/// thread stored on the run) and publishing (<see cref="PublishStep"/>). An attempt of a run whose
/// result is already stored skips the agent and only publishes, so a publish failure or a crash
/// after the agent finished never pays for the agent again.
/// </summary>
public sealed partial class RunPipeline(
    AgentStep agentStep,
    PublishStep publishStep,
    RunArtifacts artifacts,
    SecretRedactor redactor,
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
        RunActivity.Current = new RunActivity(activity => context.ShowActivityAsync(activity, CancellationToken.None));
        var failed = true;
        try
        {
            // A run whose job has spent its budget does not start; one that only publishes costs nothing and goes on.
            if (!context.ResumesAtPublishing && context.Budget is { } budget && budget.Left(0) <= 0)
            {
                failed = false;
                return new RunOutcome { Status = RunStatus.Failed, Error = budget.NotStarted(), Usage = context.TotalUsage };
            }

            if (context.Job.Mode == JobMode.Triage)
            {
                // Read-only: no setup, checks, patch or publishing; the answer is the run's outcome.
                var answered = await agentStep.TriageAsync(context, cancellationToken);
                await artifacts.StoreThreadAsync(context);
                failed = false;
                return answered with { ThreadArtifact = context.ThreadArtifact, ThreadEntries = context.StoredThreadEntries };
            }

            var input = context.ResumesAtPublishing
                ? await publishStep.ResumeAsync(context, cancellationToken)
                : await agentStep.RunAsync(context, cancellationToken);

            // The seam: from here on the agent's result is stored and only publishing remains.
            RunOutcome outcome;
            using (Telemetry.CodyBatchTelemetry.StartStage("publish"))
            {
                outcome = await publishStep.PublishAsync(context, input, cancellationToken);
            }

            await artifacts.StoreThreadAsync(context);
            failed = false;
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await artifacts.StoreThreadAsync(context);
            throw;
        }
        catch (Exception e) when (e is not LeaseLostException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            var message = redactor.Redact(FailureMessage(context, e));
            LogRunFailed(logger, context.Job.Id, repository, message);
            context.Thread.Add("error", new() { ["message"] = message });
            await artifacts.StoreThreadAsync(context);
            return new RunOutcome
            {
                Status = RunStatus.Failed,
                Error = message,
                PatchArtifact = context.PatchArtifact,
                ThreadArtifact = context.ThreadArtifact,
                ThreadEntries = context.StoredThreadEntries,
                CommitSha = context.CommitSha,
                Usage = context.TotalUsage,
            };
        }
        finally
        {
            if (context.Workspace is { } workspace)
            {
                if (failed && workerOptions.Value.KeepFailedWorkspaces)
                {
                    workspace.Keep();
                }

                await workspace.DisposeAsync();
            }
        }
    }

    private static string FailureMessage(RunContext context, Exception e)
    {
        var message = e is RunFailedException
            ? e.Message
            : $"Unexpected error while {context.Stage.ToString().ToLowerInvariant()}: {e.Message}";
        return context.Stage == RunStatus.Publishing
            ? $"Publishing failed: {message} The agent's result and patch are kept; retry to publish them without running the agent again."
            : message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {JobId}/{Repository} failed: {Error}")]
    private static partial void LogRunFailed(ILogger logger, string jobId, string repository, string error);
}
