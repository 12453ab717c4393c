using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Security;

/// <summary>Settings under <c>CodyBatch:RateLimit</c>: how fast one API key (or, without keys, one client address) may create jobs.</summary>
public sealed class JobRateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:RateLimit";

    /// <summary>Jobs one key may create per minute, on average.</summary>
    [Range(1, 100_000, ErrorMessage = "CodyBatch:RateLimit:JobsPerMinute must be between 1 and 100,000.")]
    public int JobsPerMinute { get; set; } = 30;

    /// <summary>Jobs one key may create at once before the per-minute pace applies.</summary>
    [Range(1, 100_000, ErrorMessage = "CodyBatch:RateLimit:Burst must be between 1 and 100,000.")]
    public int Burst { get; set; } = 10;
}
