using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Forgets webhook delivery ids older than <see cref="PullRequestOptions.DeliveryRetention"/> once an
/// hour (and at start), so the table of seen ids does not grow without end; DynamoDB's time to live
/// does the same there. A failed round is logged and the next comes as planned.
/// </summary>
public sealed partial class DeliveryLogPruner(
    IDeliveryLog? deliveries, IOptions<PullRequestOptions> options, TimeProvider time, ILogger<DeliveryLogPruner> logger) : BackgroundService
{
    /// <summary>How often a round runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One round: forgets the ids received before now minus the retention; returns how many.</summary>
    public async Task<int> PruneOnceAsync(CancellationToken cancellationToken)
    {
        if (deliveries is null)
        {
            return 0;
        }

        var pruned = await deliveries.PruneDeliveriesAsync(time.GetUtcNow() - options.Value.DeliveryRetention, cancellationToken);
        if (pruned > 0)
        {
            LogPruned(logger, pruned);
        }

        return pruned;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(logger, e.Message);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} webhook delivery ids past their retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning webhook delivery ids failed: {Error}")]
    private static partial void LogRoundFailed(ILogger logger, string error);
}
