using System.ComponentModel.DataAnnotations;

namespace CodyBatch.GitHub;

/// <summary>Settings under <c>CodyBatch:GitHub</c>. The token and API root come from <c>GITHUB_TOKEN</c> and <c>GITHUB_API_URL</c>.</summary>
public sealed class GitHubOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:GitHub";

    /// <summary>Most bytes a repository snapshot may unpack to.</summary>
    [Range(1L << 20, 1L << 40, ErrorMessage = "CodyBatch:GitHub:MaxArchiveBytes must be between 1 MiB and 1 TiB.")]
    public long MaxArchiveBytes { get; set; } = 2L << 30;

    /// <summary>Most files, folders and links a snapshot may hold.</summary>
    [Range(10, 10_000_000, ErrorMessage = "CodyBatch:GitHub:MaxArchiveEntries must be between 10 and 10,000,000.")]
    public int MaxArchiveEntries { get; set; } = 200_000;

    /// <summary>Largest single file in a snapshot.</summary>
    [Range(1024L, 1L << 40, ErrorMessage = "CodyBatch:GitHub:MaxArchiveFileBytes must be between 1 KiB and 1 TiB.")]
    public long MaxArchiveFileBytes { get; set; } = 200L << 20;

    /// <summary>Least time between two content-creating requests with the same token (GitHub asks for a second).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "CodyBatch:GitHub:WriteSpacing must be between 0 and 1 minute.")]
    public TimeSpan WriteSpacing { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often one request is retried after hitting a rate limit.</summary>
    [Range(0, 20, ErrorMessage = "CodyBatch:GitHub:MaxRateLimitRetries must be between 0 and 20.")]
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>Longest one rate-limit wait may be; a longer one fails the run and says when to retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "02:00:00", ErrorMessage = "CodyBatch:GitHub:MaxRateLimitWait must be between 0 and 2 hours.")]
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often one call is tried again after a server error (5xx) or a lost connection.</summary>
    [Range(0, 10, ErrorMessage = "CodyBatch:GitHub:MaxServerErrorRetries must be between 0 and 10.")]
    public int MaxServerErrorRetries { get; set; } = 4;

    /// <summary>The first wait before trying again after a server error; it doubles with each try.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "CodyBatch:GitHub:ServerErrorBackoff must be between 0 and 1 minute.")]
    public TimeSpan ServerErrorBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The secret of the GitHub webhook that posts to <c>/api/webhooks/github</c>; every delivery's
    /// <c>X-Hub-Signature-256</c> is checked against it. Unset, webhooks are refused. Set it from the environment.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// The GitHub App (its client ID or app ID) that Cody Batch acts as instead of <c>GITHUB_TOKEN</c>;
    /// its private key comes from the environment (<c>CodyBatch__GitHub__PrivateKey</c> or <c>GITHUB_APP_PRIVATE_KEY</c>).
    /// </summary>
    [RegularExpression("^[A-Za-z0-9.]{1,64}$", ErrorMessage = "CodyBatch:GitHub:AppId must be the GitHub App's client ID or app ID.")]
    public string? AppId { get; set; }

    /// <summary>When the account may read a repository but not push to it: fork it and open the pull request from the fork.</summary>
    public bool ForkWhenNoPush { get; set; }

    /// <summary>The organization forks go to; the account itself when empty (a GitHub App needs an organization).</summary>
    [RegularExpression("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$", ErrorMessage = "CodyBatch:GitHub:ForkOrganization must be a GitHub organization's login.")]
    public string? ForkOrganization { get; set; }

    /// <summary>Longest wait for a new fork to become usable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00", ErrorMessage = "CodyBatch:GitHub:ForkReadyTimeout must be between 1 second and 30 minutes.")]
    public TimeSpan ForkReadyTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before an installation token expires it is renewed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00", ErrorMessage = "CodyBatch:GitHub:TokenRenewalMargin must be between 0 and 30 minutes.")]
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the list of visible repositories is reused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "CodyBatch:GitHub:RepositoryListCacheDuration must be between 0 and 1 hour.")]
    public TimeSpan RepositoryListCacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}
