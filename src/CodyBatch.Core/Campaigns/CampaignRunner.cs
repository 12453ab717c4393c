using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Campaigns;

/// <summary>
/// The server's campaign loop: a sweep when a campaign's job ends or a user acts (<see cref="CampaignSignal"/>),
/// otherwise every <see cref="CampaignOptions.Interval"/> or when the hourly pull request cap frees up, whichever
/// comes first. A failed sweep is logged; the next comes as planned.
/// </summary>
public sealed partial class CampaignRunner(CampaignDriver driver, CampaignSignal signal, IOptions<CampaignOptions> options, TimeProvider time, ILogger<CampaignRunner> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Loop)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.Interval;
            try
            {
                if (await driver.SweepAsync(stoppingToken) is { } wake && wake - time.GetUtcNow() < wait)
                {
                    wait = wake - time.GetUtcNow();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSweepFailed(logger, e);
            }

            await signal.WaitAsync(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A campaign sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
