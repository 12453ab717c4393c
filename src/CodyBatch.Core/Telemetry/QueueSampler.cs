using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Telemetry;

/// <summary>
/// Looks at the queue every <see cref="TelemetryOptions.QueueSampleInterval"/> for the <c>codybatch.queue.depth</c>
/// and <c>codybatch.queue.age</c> gauges: the runs a worker could claim now (up to <see cref="MaxCounted"/>) and the
/// age of the oldest job among them. The host runs it only when metrics are exported.
/// </summary>
public sealed partial class QueueSampler(IJobStore store, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<QueueSampler> logger) : BackgroundService
{
    /// <summary>The most runs one look counts.</summary>
    public const int MaxCounted = 1000;

    /// <summary>One look: counts the waiting runs and records them on the gauges.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var waiting = await store.FindClaimableAsync(now, MaxCounted, cancellationToken);
        var oldest = waiting.Select(r => JobId.TimeOf(r.JobId)).OfType<DateTimeOffset>().DefaultIfEmpty(now).Min();
        CodyBatchMetrics.Queue(waiting.Count, now - oldest);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!CodyBatchMetrics.QueueObserved)
        {
            // Metrics are not exported (the host wires the exporter before this starts): nothing to look for.
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
                await Task.Delay(options.Value.QueueSampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSampleFailed(logger, e.Message);
                await Task.Delay(options.Value.QueueSampleInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking at the queue for its gauges failed: {Error}")]
    private static partial void LogSampleFailed(ILogger logger, string error);
}
