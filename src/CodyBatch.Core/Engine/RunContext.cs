using CodyBatch.Core.Agent;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Engine;

/// <summary>One attempt of one run as the pipeline sees it: what to do, and how to report progress.</summary>
public sealed class RunContext(
    Job job,
    RepositoryRun run,
    AgentThread thread,
    Func<RunStatus, CancellationToken, Task> advance,
    Func<string?, CancellationToken, Task>? showActivity = null,
    Func<SubmittedWork, CancellationToken, Task>? submit = null)
    : IProgress<TokenUsage>
{
    private TokenUsage _attemptUsage = TokenUsage.Zero;

    /// <summary>The job as it was when the run was claimed.</summary>
    public Job Job { get; } = job;

    /// <summary>The run as it was when it was claimed.</summary>
    public RepositoryRun Run { get; } = run;

    /// <summary>The conversation of this attempt.</summary>
    public AgentThread Thread { get; } = thread;

    /// <summary>What this attempt has spent so far.</summary>
    public TokenUsage AttemptUsage => Volatile.Read(ref _attemptUsage);

    /// <summary>What the run has spent over all attempts, this one included.</summary>
    public TokenUsage TotalUsage => Run.Usage + AttemptUsage;

    /// <summary>The commit the attempt works on, once resolved.</summary>
    public string? CommitSha { get; set; }

    /// <summary>The thread artifact, once stored.</summary>
    public string? ThreadArtifact { get; set; }

    /// <summary>The patch artifact, once stored.</summary>
    public string? PatchArtifact { get; set; }

    /// <summary>
    /// True when an earlier attempt stored the agent's result: this attempt publishes it and never
    /// runs the agent.
    /// </summary>
    public bool ResumesAtPublishing => Run.Submission is not null;

    /// <summary>The attempt's workspace, once created; the pipeline disposes it at the end.</summary>
    public Workspaces.Workspace? Workspace { get; set; }

    /// <summary>The stage the attempt is in (the one it last moved to).</summary>
    public RunStatus Stage { get; private set; } = RunStatus.Fetching;

    /// <summary>Stores the agent's finished work on the run and moves it to publishing, in the store.</summary>
    public async Task SubmitAsync(SubmittedWork work, CancellationToken cancellationToken)
    {
        if (submit is null)
        {
            throw new InvalidOperationException("This run context cannot store the agent's result.");
        }

        Stage = RunStatus.Publishing;
        await submit(work, cancellationToken);
    }

    /// <summary>Shows what the run is doing right now, in the store (null clears it).</summary>
    public Task ShowActivityAsync(string? activity, CancellationToken cancellationToken) =>
        showActivity?.Invoke(activity, cancellationToken) ?? Task.CompletedTask;

    /// <summary>Moves the run to its next stage, in the store.</summary>
    public async Task AdvanceAsync(RunStatus stage, CancellationToken cancellationToken)
    {
        Stage = stage;
        await advance(stage, cancellationToken);
    }

    /// <inheritdoc />
    public void Report(TokenUsage value) => Volatile.Write(ref _attemptUsage, value);
}
