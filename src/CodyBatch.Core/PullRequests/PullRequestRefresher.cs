using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Refreshes every open pull request every <see cref="PullRequestOptions.RefreshInterval"/>
/// (conditional requests, so an unchanged one costs nothing against the rate limit). A failed
/// round is logged and the next one comes as planned.
/// </summary>
public sealed partial class PullRequestRefresher(
    PullRequestTracker tracker, IOptions<PullRequestOptions> options, TimeProvider time, ILogger<PullRequestRefresher> logger) : BackgroundService
{
    /// <summary>One round: refreshes every open pull request.</summary>
    public async Task<RefreshReport> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        var report = await tracker.RefreshOpenAsync(cancellationToken);
        if (report.Refreshed > 0 || report.Problems.Count > 0)
        {
            LogRound(logger, report.Refreshed, report.Calls, report.NotModified, report.RateLimitPoints, report.Problems.Count);
        }

        return report;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await RefreshOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed {Count} open pull requests with {Calls} requests, {NotModified} of them unchanged (304), {Points} GraphQL rate limit points; {Failed} failed")]
    private static partial void LogRound(ILogger logger, int count, int calls, int notModified, int points, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pull request refresh round failed: {Error}")]
    private static partial void LogRoundFailed(ILogger logger, string error);
}
