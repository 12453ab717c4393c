namespace CodyBatch.Core.Schedules;

/// <summary>What happened at one firing of a schedule.</summary>
/// <param name="ScheduledFor">The occurrence of the cron expression.</param>
/// <param name="HandledAt">When Cody Batch handled it.</param>
/// <param name="Outcome">Started, skipped or failed.</param>
/// <param name="JobId">The job it started, when it started one.</param>
/// <param name="Reason">Why it was skipped or failed, as a sentence.</param>
public sealed record ScheduleFiring(DateTimeOffset ScheduledFor, DateTimeOffset HandledAt, FiringOutcome Outcome, string? JobId = null, string? Reason = null);
