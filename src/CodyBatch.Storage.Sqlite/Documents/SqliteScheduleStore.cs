using CodyBatch.Core.Schedules;

namespace CodyBatch.Storage.Sqlite.Documents;

/// <summary>Schedules in the job store's SQLite file (table <c>schedules</c>).</summary>
public sealed class SqliteScheduleStore(SqliteJobStore database) : IScheduleStore
{
    private readonly SqliteDocuments<Schedule> _documents = new(
        database, "schedules", s => s.Id, s => s.Version, s => s.Id, (s, v) => s with { Version = v });

    /// <inheritdoc />
    public Task CreateAsync(Schedule schedule, CancellationToken cancellationToken) => _documents.CreateAsync(schedule, cancellationToken);

    /// <inheritdoc />
    public Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken) => _documents.GetAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken) => _documents.ListAsync(cancellationToken);

    /// <inheritdoc />
    public Task<Schedule?> TryUpdateAsync(Schedule schedule, CancellationToken cancellationToken) => _documents.TryUpdateAsync(schedule, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => _documents.DeleteAsync(id, cancellationToken);
}
