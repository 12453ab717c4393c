using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Schedules;

/// <summary>
/// Checks the schedules every <see cref="ScheduleOptions.CheckInterval"/> when
/// <see cref="ScheduleOptions.Loop"/> is on. The first round runs at start, which is when firings
/// missed while the server was down are handled. A failed round is logged and the next comes as planned.
/// </summary>
public sealed partial class ScheduleRunner(ScheduleFirer firer, IOptions<ScheduleOptions> options, TimeProvider time, ILogger<ScheduleRunner> logger) : BackgroundService
{
    /// <summary>One round: handles every due firing and logs what happened.</summary>
    public async Task<IReadOnlyList<(string ScheduleId, ScheduleFiring Firing)>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var recorded = await firer.FireDueAsync(cancellationToken);
        foreach (var (scheduleId, firing) in recorded)
        {
            LogFiring(logger, scheduleId, firing.ScheduledFor, firing.Outcome, firing.JobId, firing.Reason);
        }

        return recorded;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Loop)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await Task.Delay(options.Value.CheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(logger, e);
                await Task.Delay(options.Value.CheckInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} firing of {ScheduledFor}: {Outcome} {JobId} {Reason}")]
    private static partial void LogFiring(ILogger logger, string scheduleId, DateTimeOffset scheduledFor, FiringOutcome outcome, string? jobId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A schedule round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
