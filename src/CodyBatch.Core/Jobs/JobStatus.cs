namespace CodyBatch.Core.Jobs;

/// <summary>The state of a whole job, derived from its repository runs.</summary>
public enum JobStatus
{
    /// <summary>No repository run has started yet.</summary>
    Queued,
    /// <summary>At least one repository run has started and not every run has ended.</summary>
    Running,
    /// <summary>Every repository run ended and at least one succeeded or ended incomplete (others may have failed or been cancelled).</summary>
    Completed,
    /// <summary>Every repository run ended, none succeeded and none was cancelled.</summary>
    Failed,
    /// <summary>Every repository run ended, none succeeded and at least one was cancelled.</summary>
    Cancelled,
}
