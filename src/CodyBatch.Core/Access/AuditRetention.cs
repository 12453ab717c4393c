using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.Access;

/// <summary>Once a day (and at start) removes the audit entries older than <see cref="AuditOptions.RetentionDays"/>.</summary>
public sealed partial class AuditRetention(AuditTrail audit, TimeProvider time, ILogger<AuditRetention> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                LogPruned(logger, await audit.PruneAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPruneFailed(logger, e);
            }

            await Task.Delay(TimeSpan.FromDays(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} audit entries past the retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing old audit entries failed; the next try is in a day")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
