using Microsoft.Extensions.Hosting;

namespace CodyBatch.Core.Hosting;

/// <summary>
/// A background loop the host starts once every hosted service has started — after the HTTP server listens — rather
/// than before it: the loop's object graph is built and its first pass runs beside the first requests instead of
/// delaying them. The API function's cold start is the time to its first <c>/health</c> answer, and the pruners, the
/// pull request refresher, the schedule and campaign loops are not needed for it. Stopped like any hosted service
/// (in reverse order of registration), and only if it was started.
/// </summary>
public sealed class StartedAfterHost(IServiceProvider services, Func<IServiceProvider, IHostedService> create) : IHostedLifecycleService
{
    private IHostedService? _service;

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _service = create(services);
        return _service.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _service?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
