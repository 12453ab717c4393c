using CodyBatch.Core.Notifications;

namespace CodyBatch.Storage.Sqlite.Documents;

/// <summary>Notification delivery attempts in the job store's SQLite file (table <c>notification_deliveries</c>).</summary>
public sealed class SqliteNotificationLog(SqliteJobStore database) : INotificationLog
{
    /// <inheritdoc />
    public async Task AddAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO notification_deliveries (job_id, data) VALUES ($job, $data)";
        insert.Parameters.AddWithValue("$job", delivery.JobId);
        insert.Parameters.AddWithValue("$data", JsonSerializer.Serialize(delivery, SqliteDocuments<NotificationDelivery>.Json));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NotificationDelivery>> ListAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT data FROM notification_deliveries WHERE job_id = $job ORDER BY seq";
        select.Parameters.AddWithValue("$job", jobId);
        var list = new List<NotificationDelivery>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(JsonSerializer.Deserialize<NotificationDelivery>(reader.GetString(0), SqliteDocuments<NotificationDelivery>.Json)!);
        }

        return list;
    }
}
