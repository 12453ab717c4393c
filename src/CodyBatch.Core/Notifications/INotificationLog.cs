namespace CodyBatch.Core.Notifications;

/// <summary>Where notification delivery attempts are recorded, per job.</summary>
public interface INotificationLog
{
    /// <summary>Records one attempt.</summary>
    Task AddAsync(NotificationDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The job's attempts, oldest first.</summary>
    Task<IReadOnlyList<NotificationDelivery>> ListAsync(string jobId, CancellationToken cancellationToken);
}
