using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Aws.Dispatch;

/// <summary>Settings under <c>CodyBatch:Aws:Reconciler</c>: when <c>codybatch sweep</c> considers a job lost.</summary>
public sealed class ReconcilerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Aws:Reconciler";

    /// <summary>A queued run of a job nobody wrote for this long was never picked up (its dispatch was lost, or it waited in the queue).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "CodyBatch:Aws:Reconciler:QueuedGrace must be between 1 minute and 1 day.")]
    public TimeSpan QueuedGrace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An active run whose lease ran out this long ago lost its worker (it died, hit the Batch timeout, or ran out of attempts).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "CodyBatch:Aws:Reconciler:LeaseGrace must be between 0 and 1 day.")]
    public TimeSpan LeaseGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A run that lost its worker this many times is failed with a sentence instead of dispatched again.</summary>
    [Range(1, 20, ErrorMessage = "CodyBatch:Aws:Reconciler:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 3;
}
