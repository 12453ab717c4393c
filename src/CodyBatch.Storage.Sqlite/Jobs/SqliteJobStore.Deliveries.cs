namespace CodyBatch.Storage.Sqlite.Jobs;

// The webhook deliveries already handled (IDeliveryLog), so a redelivered webhook is not applied twice.
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public async Task<bool> TryRecordDeliveryAsync(string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = Command(connection, null, "INSERT INTO webhook_deliveries (id, received_at) VALUES ($id, $at) ON CONFLICT (id) DO NOTHING");
        insert.Parameters.AddWithValue("$id", deliveryId);
        insert.Parameters.AddWithValue("$at", FormatTime(receivedAt));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task ForgetDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var delete = Command(connection, null, "DELETE FROM webhook_deliveries WHERE id = $id");
        delete.Parameters.AddWithValue("$id", deliveryId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> PruneDeliveriesAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        // Times are stored as round-trip UTC text, so text order is time order.
        await using var connection = await OpenAsync(cancellationToken);
        await using var delete = Command(connection, null, "DELETE FROM webhook_deliveries WHERE received_at < $before");
        delete.Parameters.AddWithValue("$before", FormatTime(receivedBefore));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
