using CodyBatch.Core.Schedules;

namespace CodyBatch.Aws.Documents;

/// <summary>Schedules in the jobs table: items <c>pk = SCHEDULES, sk = id</c> (ids sort by creation time).</summary>
public sealed class DynamoDbScheduleStore(IAmazonDynamoDB client, string tableName) : IScheduleStore
{
    private readonly DynamoDbDocuments<Schedule> _documents = new(client, tableName, "SCHEDULES", s => s.Id, s => s.Version, (s, v) => s with { Version = v });

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
