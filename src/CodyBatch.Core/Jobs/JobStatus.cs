namespace CodyBatch.Core.Jobs;

/// <summary>The state of a whole job, derived from its repository runs.</summary>
public enum JobStatus
{
    /// <summary>No repository run has started yet.</summary>
    Queued,
    /// <summary>At least one repository run has started and not every run has ended.</summary>
    Running,
    /// <summary>Every repository run ended and at least one did not fail.</summary>
    Completed,
    /// <summary>Every repository run failed.</summary>
    Failed,
    /// <summary>The job was cancelled before every run ended.</summary>
    Cancelled,
}
