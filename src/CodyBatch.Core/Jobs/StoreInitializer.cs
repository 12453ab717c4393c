using Microsoft.Extensions.Hosting;

namespace CodyBatch.Core.Jobs;

/// <summary>Creates or migrates the job store's schema when the host starts, before any worker claims work.</summary>
internal sealed class StoreInitializer(IJobStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
