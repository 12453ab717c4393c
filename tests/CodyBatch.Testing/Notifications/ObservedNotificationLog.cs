using CodyBatch.Core.Notifications;

namespace CodyBatch.Testing.Notifications;

/// <summary>A notification log that tells the test about each row the moment it is written.</summary>
public sealed class ObservedNotificationLog(INotificationLog inner, Action<NotificationDelivery> written) : INotificationLog
{
    /// <inheritdoc />
    public async Task AddAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        await inner.AddAsync(delivery, cancellationToken);
        written(delivery);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationDelivery>> ListAsync(string jobId, CancellationToken cancellationToken) => inner.ListAsync(jobId, cancellationToken);
}
