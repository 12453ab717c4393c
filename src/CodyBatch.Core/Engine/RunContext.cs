using CodyBatch.Core.Agent;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Engine;

/// <summary>
/// One attempt of one run as the pipeline sees it: what to do, and how to report progress. Usage,
/// activity and new thread entries are kept here and signalled; the worker stores them as they come.
/// </summary>
public sealed class RunContext : IProgress<TokenUsage>
{
    private readonly Func<RunStatus, CancellationToken, Task> _advance;
    private readonly Func<SubmittedWork, CancellationToken, Task>? _submit;
    private readonly SemaphoreSlim _threadGate = new(1, 1);
    private TokenUsage _attemptUsage = TokenUsage.Zero;
    private string? _activity;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// An attempt of <paramref name="run"/> in <paramref name="job"/>; <paramref name="advance"/> stores a
    /// stage change, <paramref name="submit"/> the agent's finished work.
    /// </summary>
    public RunContext(
        Job job,
        RepositoryRun run,
        TimeProvider time,
        Func<RunStatus, CancellationToken, Task> advance,
        Func<SubmittedWork, CancellationToken, Task>? submit = null)
    {
        Job = job;
        Run = run;
        _advance = advance;
        _submit = submit;
        Thread = new AgentThread(run.Repository, job.Model, time, Signal);
        Budget = JobBudget.For(job, run);
        if (ResumesAtPublishing)
        {
            // The thread is the one the attempt that ran the agent stored; this attempt adds none.
            ThreadArtifact = run.ThreadArtifact;
            StoredThreadEntries = run.ThreadEntries;
        }
    }

    /// <summary>The job as it was when the run was claimed.</summary>
    public Job Job { get; }

    /// <summary>The run as it was when it was claimed.</summary>
    public RepositoryRun Run { get; }

    /// <summary>The job's dollar budget as this attempt sees it; null when the job has none.</summary>
    public JobBudget? Budget { get; }

    /// <summary>The conversation of this attempt.</summary>
    public AgentThread Thread { get; }

    /// <summary>What this attempt has spent so far.</summary>
    public TokenUsage AttemptUsage => Volatile.Read(ref _attemptUsage);

    /// <summary>What the run has spent over all attempts, this one included.</summary>
    public TokenUsage TotalUsage => Run.Usage + AttemptUsage;

    /// <summary>What the run is doing right now, or null.</summary>
    public string? Activity => Volatile.Read(ref _activity);

    /// <summary>The commit the attempt works on, once resolved.</summary>
    public string? CommitSha { get; set; }

    /// <summary>The thread artifact, once stored.</summary>
    public string? ThreadArtifact { get; set; }

    /// <summary>How many thread entries the stored artifact holds.</summary>
    public int StoredThreadEntries { get; private set; }

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

    /// <summary>Completes at the next change of usage, activity or thread after it was read.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Stores the agent's finished work on the run and moves it to publishing, in the store.</summary>
    public async Task SubmitAsync(SubmittedWork work, CancellationToken cancellationToken)
    {
        if (_submit is null)
        {
            throw new InvalidOperationException("This run context cannot store the agent's result.");
        }

        Stage = RunStatus.Publishing;
        Volatile.Write(ref _activity, null);
        await _submit(work, cancellationToken);
    }

    /// <summary>Shows what the run is doing right now (null clears it); the worker stores it promptly.</summary>
    public Task ShowActivityAsync(string? activity, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _activity, activity);
        Signal();
        return Task.CompletedTask;
    }

    /// <summary>Moves the run to its next stage, in the store.</summary>
    public async Task AdvanceAsync(RunStatus stage, CancellationToken cancellationToken)
    {
        Stage = stage;
        Volatile.Write(ref _activity, null);
        await _advance(stage, cancellationToken);
    }

    /// <inheritdoc />
    public void Report(TokenUsage value)
    {
        Volatile.Write(ref _attemptUsage, value);
        Signal();
    }

    /// <summary>Starts a new wait: <see cref="Changed"/> completes at the next change from now on.</summary>
    public void ResetChanged()
    {
        var current = Volatile.Read(ref _changed);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    /// <summary>
    /// Stores the thread under <paramref name="key"/> with <paramref name="put"/> when it holds entries
    /// not stored yet, one writer at a time, so an older copy never lands after a newer one.
    /// </summary>
    public async Task StoreThreadAsync(string key, SecretRedactor redactor, Func<byte[], Task> put)
    {
        await _threadGate.WaitAsync(CancellationToken.None);
        try
        {
            if (Thread.Count == 0 || (Thread.Count == StoredThreadEntries && ThreadArtifact == key))
            {
                return;
            }

            var json = Thread.ToJson(redactor, out var count);
            await put(json);
            StoredThreadEntries = count;
            ThreadArtifact = key;
        }
        finally
        {
            _threadGate.Release();
        }
    }

    private void Signal() => Volatile.Read(ref _changed).TrySetResult();
}
