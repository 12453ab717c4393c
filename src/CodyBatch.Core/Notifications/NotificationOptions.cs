using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Notifications;

/// <summary>
/// Settings under <c>CodyBatch:Notifications</c>. The signing secret and the Slack address are
/// secrets: set them in the environment (<c>CodyBatch__Notifications__SigningSecret</c>,
/// <c>CodyBatch__Notifications__SlackWebhookUrl</c>); they never appear in responses or logs.
/// </summary>
public sealed class NotificationOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Notifications";

    /// <summary>Where the signed JSON notification is posted; none when empty.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key for <c>X-CodyBatch-Signature</c>; required with <see cref="WebhookUrl"/>.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>A Slack (or compatible) incoming-webhook address; none when empty.</summary>
    public Uri? SlackWebhookUrl { get; set; }

    /// <summary>Tries per notification and target, the first included.</summary>
    [Range(1, 20, ErrorMessage = "CodyBatch:Notifications:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second try; each later wait doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "CodyBatch:Notifications:FirstRetryDelay must be between 0 and 1 hour.")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one try may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "CodyBatch:Notifications:Timeout must be between 1 second and 5 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookUrl is not null && (SigningSecret is null || SigningSecret.Length < 16))
        {
            yield return new("CodyBatch:Notifications:SigningSecret must be set (at least 16 characters) when CodyBatch:Notifications:WebhookUrl is, so receivers can verify the signature.");
        }

        foreach (var (name, url) in new[] { ("WebhookUrl", WebhookUrl), ("SlackWebhookUrl", SlackWebhookUrl) })
        {
            if (url is not null && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
            {
                yield return new($"CodyBatch:Notifications:{name} must be an absolute http or https address.");
            }
        }
    }
}
