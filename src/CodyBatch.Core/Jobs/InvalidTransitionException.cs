using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

/// <summary>A change of state that the lifecycle does not allow.</summary>
public sealed class InvalidTransitionException(string repository, RunStatus from, RunStatus to)
    : InvalidOperationException($"The run for {repository} cannot move from {from} to {to}.")
{
    /// <summary>The run's state before the attempted change.</summary>
    public RunStatus From { get; } = from;

    /// <summary>The state that was refused.</summary>
    public RunStatus To { get; } = to;
}
