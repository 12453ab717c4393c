namespace CodyBatch.Core.Jobs;

/// <summary>How a retry, or a cancel of one run, went.</summary>
public sealed record RetryResult(Job? Job, bool IsNotFound, string? Problem)
{
    /// <summary>Done: the job after the change.</summary>
    public static RetryResult Done(Job job) => new(job, false, null);

    /// <summary>No such job or run.</summary>
    public static RetryResult NotFound(string problem) => new(null, true, problem);

    /// <summary>The run is in a state that does not allow it.</summary>
    public static RetryResult Conflict(string problem) => new(null, false, problem);
}
