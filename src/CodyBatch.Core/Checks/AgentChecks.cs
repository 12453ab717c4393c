namespace CodyBatch.Core.Checks;

/// <summary>
/// What the agent's <c>run_checks</c> tool may do: run the run's configured checks (never another
/// command) in the sandbox on the workspace as it is now, a limited number of times.
/// </summary>
public sealed class AgentChecks
{
    private readonly Func<string?, CancellationToken, Task<IReadOnlyList<CheckResult>>> _run;
    private int _runs;

    /// <summary>Checks the agent may run, with their baseline results.</summary>
    public AgentChecks(CheckState state, int maxRuns, Func<string?, CancellationToken, Task<IReadOnlyList<CheckResult>>> run)
    {
        State = state;
        MaxRuns = maxRuns;
        _run = run;
    }

    /// <summary>The plan and the baseline.</summary>
    public CheckState State { get; }

    /// <summary>How often the agent may run checks in this run.</summary>
    public int MaxRuns { get; }

    /// <summary>How often it has.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>
    /// Runs the check named <paramref name="name"/>, or all when null. Throws <see cref="ArgumentException"/>
    /// for an unknown name and <see cref="InvalidOperationException"/> when the checks cannot run or the
    /// agent used up its runs; both messages are meant for the agent.
    /// </summary>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(string? name, CancellationToken cancellationToken)
    {
        if (State.Plan.Checks.Count == 0)
        {
            throw new InvalidOperationException("This repository has no checks configured, so there is nothing to run.");
        }

        if (name is not null && State.Plan.Checks.All(c => c.Name != name))
        {
            throw new ArgumentException($"There is no check named \"{name}\"; the checks are: {string.Join(", ", State.Plan.Checks.Select(c => $"\"{c.Name}\""))}.");
        }

        if (!State.CanRun)
        {
            throw new InvalidOperationException(State.UnavailableReason ?? "The checks cannot run here.");
        }

        if (Interlocked.Increment(ref _runs) > MaxRuns)
        {
            throw new InvalidOperationException($"run_checks was used {MaxRuns} times, the limit for one run (CodyBatch:Checks:MaxAgentRuns); finish without running them again.");
        }

        return await _run(name, cancellationToken);
    }
}
