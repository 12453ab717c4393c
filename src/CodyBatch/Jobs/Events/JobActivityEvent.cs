namespace CodyBatch.Jobs;

/// <summary>The <c>activity</c> event: what a run is doing now, e.g. <c>turn 7 · running: npm install lodash@4</c>.</summary>
public sealed record JobActivityEvent(string Repository, string? Activity);
