namespace CodyBatch.Core.Schedules;

/// <summary>A schedule as stored, or why not: the messages per field, or that it does not exist.</summary>
/// <param name="Schedule">The stored schedule, when it worked.</param>
/// <param name="Errors">What to fix, per request field; empty when it worked.</param>
/// <param name="NotFound">True when the schedule does not exist.</param>
/// <param name="Stale">The schedule as it is now, when an edit named a revision it has moved past; null otherwise.</param>
public sealed record ScheduleResult(Schedule? Schedule, IReadOnlyDictionary<string, string[]> Errors, bool NotFound = false, Schedule? Stale = null);
