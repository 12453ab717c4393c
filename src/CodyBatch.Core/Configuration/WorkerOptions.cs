using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Configuration;

/// <summary>Settings under <c>CodyBatch:Worker</c>.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Worker";

    /// <summary>Whether this process runs repository runs at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Repository runs this process works on at once; the default takes a whole job (5 repositories) at once.</summary>
    [Range(1, 256, ErrorMessage = "CodyBatch:Worker:Concurrency must be between 1 and 256.")]
    public int Concurrency { get; set; } = Jobs.JobRequestValidator.MaxRepositories;

    /// <summary>Wall-clock limit of one run attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "CodyBatch:Worker:RunTimeout must be between 1 second and 1 day.")]
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a claim holds without renewal; a crashed worker's runs are taken over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "CodyBatch:Worker:LeaseDuration must be between 1 second and 1 hour.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle worker looks for work that another process queued.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "CodyBatch:Worker:PollInterval must be between 10 milliseconds and 10 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Least time between two stores of a working run's progress (usage, activity); a change waits at most this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "CodyBatch:Worker:ProgressInterval must be between 0 and 1 minute.")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Least time between two stores of a working run's thread (each rewrites the whole thread).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "CodyBatch:Worker:ThreadStoreInterval must be between 0 and 10 minutes.")]
    public TimeSpan ThreadStoreInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Keep the workspace of a failed run for inspection.</summary>
    public bool KeepFailedWorkspaces { get; set; }
}
