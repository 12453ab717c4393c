namespace CodyBatch.Core.Notifications;

/// <summary>One attempt to deliver a notification, as the delivery log shows it on the job.</summary>
public sealed record NotificationDelivery
{
    /// <summary>The job the notification is about.</summary>
    public required string JobId { get; init; }

    /// <summary>The notification's id, the same on every attempt (<c>X-CodyBatch-Delivery</c>).</summary>
    public required string DeliveryId { get; init; }

    /// <summary><c>job.ended</c> or <c>schedule.new_work</c>.</summary>
    public required string Event { get; init; }

    /// <summary><c>webhook</c> or <c>slack</c>; never the address, which is a secret for Slack.</summary>
    public required string Target { get; init; }

    /// <summary>1 for the first try.</summary>
    public required int Attempt { get; init; }

    /// <summary>When the attempt was made.</summary>
    public required DateTimeOffset AttemptedAt { get; init; }

    /// <summary>The receiver's HTTP status, when it answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>True when the receiver took it (2xx).</summary>
    public bool Succeeded { get; init; }

    /// <summary>What went wrong, as a sentence; null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>When the next attempt is due; null when this was the last.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
