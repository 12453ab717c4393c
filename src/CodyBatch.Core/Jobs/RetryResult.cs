namespace CodyBatch.Core.Jobs;

/// <summary>How a retry went.</summary>
public sealed record RetryResult(Job? Job, bool IsNotFound, string? Problem)
{
    /// <summary>Queued again.</summary>
    public static RetryResult Done(Job job) => new(job, false, null);

    /// <summary>No such job or run.</summary>
    public static RetryResult NotFound(string problem) => new(null, true, problem);

    /// <summary>The run is in a state that cannot be retried.</summary>
    public static RetryResult Conflict(string problem) => new(null, false, problem);
}
