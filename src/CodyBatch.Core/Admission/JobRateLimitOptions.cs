using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Admission;

/// <summary>Settings under <c>CodyBatch:RateLimit</c>: how fast one caller (an API key, or without keys one client address) may start jobs: new jobs, re-runs, retries and the firings of the schedules it created.</summary>
public sealed class JobRateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:RateLimit";

    /// <summary>Jobs one caller may start per minute, on average.</summary>
    [Range(1, 100_000, ErrorMessage = "CodyBatch:RateLimit:JobsPerMinute must be between 1 and 100,000.")]
    public int JobsPerMinute { get; set; } = 30;

    /// <summary>Jobs one caller may start at once before the per-minute pace applies.</summary>
    [Range(1, 100_000, ErrorMessage = "CodyBatch:RateLimit:Burst must be between 1 and 100,000.")]
    public int Burst { get; set; } = 10;
}
