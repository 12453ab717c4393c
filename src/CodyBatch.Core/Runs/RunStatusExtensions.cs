namespace CodyBatch.Core.Runs;

/// <summary>Questions about a run status.</summary>
public static class RunStatusExtensions
{
    /// <summary>True for succeeded, incomplete, failed and cancelled: a run in one of these is never redone by itself.</summary>
    public static bool IsFinal(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Incomplete or RunStatus.Failed or RunStatus.Cancelled;

    /// <summary>True for the final states a user may retry: failed, cancelled and incomplete.</summary>
    public static bool IsRetryable(this RunStatus status) =>
        status is RunStatus.Failed or RunStatus.Cancelled or RunStatus.Incomplete;

    /// <summary>True while a worker owns the run (fetching, analyzing, publishing).</summary>
    public static bool IsActive(this RunStatus status) =>
        status is RunStatus.Fetching or RunStatus.Analyzing or RunStatus.Publishing;
}
