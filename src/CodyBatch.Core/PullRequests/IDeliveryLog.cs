namespace CodyBatch.Core.PullRequests;

/// <summary>The webhook deliveries already applied, so a delivery sent twice is applied once.</summary>
public interface IDeliveryLog
{
    /// <summary>Records <paramref name="deliveryId"/>; false when it was recorded before.</summary>
    Task<bool> TryRecordDeliveryAsync(string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Forgets a delivery whose applying failed, so a redelivery is applied.</summary>
    Task ForgetDeliveryAsync(string deliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the deliveries received before <paramref name="receivedBefore"/> (see
    /// <see cref="PullRequestOptions.DeliveryRetention"/>); returns how many. A store whose records
    /// expire on their own (DynamoDB's time to live) may leave this to the expiry and return 0.
    /// </summary>
    Task<int> PruneDeliveriesAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken);
}
