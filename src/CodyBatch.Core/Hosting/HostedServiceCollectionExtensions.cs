using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodyBatch.Core.Hosting;

/// <summary>Registers background loops that start after the host (see <see cref="StartedAfterHost"/>).</summary>
public static class HostedServiceCollectionExtensions
{
    /// <summary>Adds <paramref name="create"/>'s service, built and started once the host has started.</summary>
    public static IServiceCollection AddHostedServiceAfterStart(this IServiceCollection services, Func<IServiceProvider, IHostedService> create) =>
        services.AddSingleton<IHostedService>(sp => new StartedAfterHost(sp, create));
}
