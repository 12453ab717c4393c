using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Schedules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Notifications;

/// <summary>
/// Sends the notifications of a job's end: the signed webhook and the Slack message, each
/// retried with exponential backoff on network errors, timeouts, 408, 429 and 5xx, and every
/// attempt recorded in the job's delivery log. Deliveries run in the background; a worker
/// process that is about to exit waits for them with <see cref="WhenIdleAsync"/>.
/// </summary>
public sealed partial class JobNotifier(
    IOptions<NotificationOptions> options,
    IOptions<Configuration.CodyBatchOptions> host,
    TimeProvider time,
    ILogger<JobNotifier> logger,
    INotificationLog? log = null,
    IScheduleStore? schedules = null) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    /// <summary>True when a webhook or a Slack address is configured.</summary>
    public bool Enabled => options.Value.WebhookUrl is not null || options.Value.SlackWebhookUrl is not null;

    /// <summary>Starts delivering the notifications of <paramref name="job"/>'s end in the background.</summary>
    public void JobEnded(Job job)
    {
        if (!Enabled)
        {
            return;
        }

        var task = Task.Run(() => NotifyAsync(job, CancellationToken.None));
        _pending[task] = 0;
        _ = task.ContinueWith(t => _pending.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when every delivery started so far has ended (delivered or given up).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_pending.Keys);

    /// <summary>Delivers the notifications of <paramref name="job"/>'s end to every configured target.</summary>
    public async Task NotifyAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            var settings = options.Value;
            var campaign = job.CampaignId ?? job.Id;
            // A host without the schedule store (a test harness, say) notifies without the schedule.
            var schedule = schedules is null ? null : (await schedules.ListAsync(cancellationToken)).FirstOrDefault(s => s.CampaignId == campaign);
            var deliveryId = Guid.NewGuid().ToString("N");
            var @event = JobNotification.EventOf(job, schedule);
            var sends = new List<Task>();
            if (settings.WebhookUrl is { } webhook)
            {
                var body = JobNotification.Body(deliveryId, job, schedule, PublicUrl, time.GetUtcNow());
                sends.Add(DeliverAsync(job.Id, deliveryId, @event, "webhook", webhook, body, sign: true, cancellationToken));
            }

            if (settings.SlackWebhookUrl is { } slack)
            {
                sends.Add(DeliverAsync(job.Id, deliveryId, @event, "slack", slack, JobNotification.SlackMessage(job, schedule, PublicUrl), sign: false, cancellationToken));
            }

            await Task.WhenAll(sends);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A notification must never take the worker down; the log on the job shows what was tried.
            LogNotifyFailed(logger, job.Id, e.GetType().Name);
        }
    }

    // The job's link points at CodyBatch:PublicUrl when set, as the pull request's does.
    private Uri? PublicUrl => Uri.TryCreate(host.Value.PublicUrl, UriKind.Absolute, out var url) ? url : null;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task DeliverAsync(string jobId, string deliveryId, string @event, string target, Uri url, byte[] body, bool sign, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            var at = time.GetUtcNow();
            int? status = null;
            string? error = null;
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.UserAgent.ParseAdd("CodyBatch-Notifications/1");
                if (sign)
                {
                    request.Headers.Add("X-CodyBatch-Event", @event);
                    request.Headers.Add("X-CodyBatch-Delivery", deliveryId);
                    request.Headers.Add(NotificationSignature.Header, NotificationSignature.Sign(settings.SigningSecret!, at, body));
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.Timeout);
                using var response = await _http.SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"The receiver answered {status} {response.ReasonPhrase}.";
                    retryAfter = response.Headers.RetryAfter?.Delta;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"The receiver did not answer within {settings.Timeout.TotalSeconds:0.#} s (CodyBatch:Notifications:Timeout).";
            }
            catch (HttpRequestException e)
            {
                error = $"The receiver could not be reached ({e.HttpRequestError}).";
            }

            var retryable = error is not null && (status is null or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500);
            var last = !retryable || attempt >= settings.MaxAttempts;
            var delay = retryAfter ?? settings.FirstRetryDelay * Math.Pow(2, attempt - 1);

            // The wait starts before the attempt is logged, so whoever reads the log row (and moves the
            // clock to its NextAttemptAt) always finds the retry's timer already running.
            var next = time.GetUtcNow() + delay;
            var wait = last ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);
            await (log?.AddAsync(
                new NotificationDelivery
                {
                    JobId = jobId,
                    DeliveryId = deliveryId,
                    Event = @event,
                    Target = target,
                    Attempt = attempt,
                    AttemptedAt = at,
                    StatusCode = status,
                    Succeeded = error is null,
                    Error = error,
                    NextAttemptAt = last ? null : next,
                },
                cancellationToken) ?? Task.CompletedTask);
            if (error is null)
            {
                LogDelivered(logger, target, jobId, attempt);
                return;
            }

            LogAttemptFailed(logger, target, jobId, attempt, error);
            if (last)
            {
                return;
            }

            await wait;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification ({Target}) for job {JobId} delivered on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string target, string jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification ({Target}) for job {JobId}, attempt {Attempt}, failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string target, string jobId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications for job {JobId} stopped on {Error}")]
    private static partial void LogNotifyFailed(ILogger logger, string jobId, string error);
}
