using CodyBatch.Core.Schedules;

namespace CodyBatch.Schedules;

/// <summary>What one round of <c>POST /events/schedules</c> did.</summary>
public sealed record FiredResponse(IReadOnlyList<FiredResponse.Entry> Firings)
{
    /// <summary>One firing handled, with its schedule.</summary>
    public sealed record Entry(string ScheduleId, ScheduleFiring Firing);
}
