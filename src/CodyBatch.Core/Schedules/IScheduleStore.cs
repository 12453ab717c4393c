namespace CodyBatch.Core.Schedules;

/// <summary>Where schedules live; every implementation passes the same contract test suite.</summary>
public interface IScheduleStore
{
    /// <summary>Stores a new schedule. Throws when the id exists.</summary>
    Task CreateAsync(Schedule schedule, CancellationToken cancellationToken);

    /// <summary>The schedule, or null.</summary>
    Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every schedule, oldest first.</summary>
    Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored schedule if its version still equals <c>schedule.Version</c>; returns it
    /// as stored (version incremented), or null when someone else changed it first or it is gone.
    /// Two processes that both see a firing due therefore start it once.
    /// </summary>
    Task<Schedule?> TryUpdateAsync(Schedule schedule, CancellationToken cancellationToken);

    /// <summary>Deletes the schedule (its jobs stay); false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
