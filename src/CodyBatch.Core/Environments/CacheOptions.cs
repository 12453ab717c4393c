using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Environments;

/// <summary>
/// Settings under <c>CodyBatch:Caches</c>: the package managers' caches kept between runs on one machine, under
/// <c>{DataDirectory}/caches</c>, keyed by repository, ecosystem and lock-file hash (on AWS the S3 store of
/// <c>CodyBatch:Aws:Caches</c> takes their place).
/// </summary>
public sealed class CacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Caches";

    /// <summary>Whether setup restores and saves dependency caches.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long after it was saved a cache is restored; an older one counts as missing and is replaced by the next save.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "CodyBatch:Caches:Expiry must be between 1 hour and 365 days.")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Whether a repository's <c>node_modules/</c> is kept after a setup of <c>npm ci</c> alone, and restored in place of
    /// that setup on a later run with the same lock file, setup and toolchain (see the environments documentation).
    /// </summary>
    public bool InstalledTrees { get; set; } = true;

    /// <summary>The largest cache kept, in MiB; a larger one is not saved.</summary>
    [Range(1, 100_000, ErrorMessage = "CodyBatch:Caches:MaxMb must be between 1 and 100000.")]
    public int MaxMb { get; set; } = 2_048;
}
