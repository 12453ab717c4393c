namespace CodyBatch.Jobs;

/// <summary>The <c>stage</c> event: a run's status or attempt changed.</summary>
public sealed record JobStageEvent(string Repository, RunStatus Status, int Attempts, string? Error);
