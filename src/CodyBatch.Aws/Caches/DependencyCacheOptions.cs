using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Aws.Caches;

/// <summary>
/// Settings under <c>CodyBatch:Aws:Caches</c>: the S3 bucket the workers keep dependency caches in. No bucket, no S3
/// cache store (the host keeps whatever store it has otherwise).
/// </summary>
public sealed class DependencyCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Aws:Caches";

    /// <summary>The bucket; the CDK app creates it with a lifecycle rule that deletes caches a day after they expire here.</summary>
    public string? BucketName { get; set; }

    /// <summary>The key prefix of every cache archive.</summary>
    [RegularExpression("^([A-Za-z0-9._-]+/)*$", ErrorMessage = "CodyBatch:Aws:Caches:Prefix must be empty or folder names ending with '/', such as caches/.")]
    public string Prefix { get; set; } = "caches/";

    /// <summary>How long after it was saved a cache is restored; an older one counts as missing.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "CodyBatch:Aws:Caches:Expiry must be between 1 hour and 365 days.")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The largest compressed archive saved (and restored), in MiB; a larger cache is not kept.</summary>
    [Range(1, 5_000, ErrorMessage = "CodyBatch:Aws:Caches:MaxArchiveMb must be between 1 and 5000 (one S3 upload).")]
    public int MaxArchiveMb { get; set; } = 2_048;
}
