namespace CodyBatch.Core.Schedules;

/// <summary>How a firing ended.</summary>
public enum FiringOutcome
{
    /// <summary>A job was started.</summary>
    Started,
    /// <summary>The previous job was still running, so this firing started nothing.</summary>
    SkippedOverlap,
    /// <summary>The firing was due while Cody Batch was not running and the policy said to skip it.</summary>
    Missed,
    /// <summary>The job could not be started (say, the saved prompt was deleted); the reason says why.</summary>
    Failed,
}
