using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Admission;

/// <summary>
/// A token bucket per caller in this process: <see cref="JobRateLimitOptions.Burst"/> starts at
/// once, refilled at <see cref="JobRateLimitOptions.JobsPerMinute"/>, time read from
/// <see cref="TimeProvider"/>. Full buckets are dropped when many callers were seen, so memory stays bounded.
/// </summary>
public sealed class TokenBucketAdmission(IOptions<JobRateLimitOptions> options, TimeProvider time) : IJobAdmission
{
    private const int PruneAbove = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public JobAdmissionResult TryAdmit(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var settings = options.Value;
        var period = TimeSpan.FromMinutes(1) / settings.JobsPerMinute;
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_buckets.Count > PruneAbove)
            {
                Prune(settings.Burst, period, now);
            }

            var bucket = _buckets.TryGetValue(caller.Id, out var found) ? found : new Bucket(settings.Burst, now);
            var tokens = Math.Min(settings.Burst, bucket.Tokens + (time.GetElapsedTime(bucket.At, now) / period));
            if (tokens >= 1)
            {
                _buckets[caller.Id] = new Bucket(tokens - 1, now);
                return new JobAdmissionResult(true, TimeSpan.Zero);
            }

            _buckets[caller.Id] = new Bucket(tokens, now);
            return new JobAdmissionResult(false, period * (1 - tokens));
        }
    }

    private void Prune(int burst, TimeSpan period, long now)
    {
        foreach (var (id, bucket) in _buckets.ToList())
        {
            if (bucket.Tokens + (time.GetElapsedTime(bucket.At, now) / period) >= burst)
            {
                _buckets.Remove(id);
            }
        }
    }

    private readonly record struct Bucket(double Tokens, long At);
}
