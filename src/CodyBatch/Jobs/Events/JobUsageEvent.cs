namespace CodyBatch.Jobs;

/// <summary>The <c>usage</c> event: a run's tokens and cost so far.</summary>
public sealed record JobUsageEvent(string Repository, UsageResponse Usage);
