namespace CodyBatch.Core.Schedules;

/// <summary>What happens to firings that fell due while no Cody Batch process was running.</summary>
public enum MissedFiringPolicy
{
    /// <summary>Start one job for all of them together on start, and record the rest as missed.</summary>
    RunOnce,
    /// <summary>Start nothing for them; record them as missed and wait for the next firing.</summary>
    Skip,
}
