using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Stands in for <see cref="JobWorker"/> when <c>CodyBatch:Worker:Enabled</c> is off: it says so and builds nothing, so a
/// process that only serves the API (the Lambda function) does not construct the run pipeline, the agent and the
/// repository hosts at start.
/// </summary>
internal sealed partial class WorkerSwitchedOff(ILogger<JobWorker> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogDisabled(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 775935793, Level = LogLevel.Information, Message = "In-process workers are off (CodyBatch:Worker:Enabled); jobs wait for another worker")]
    private static partial void LogDisabled(ILogger logger);
}
