using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Sandbox.Bubblewrap;
using CodyBatch.Sandbox.Egress;
using CodyBatch.Sandbox.Shell;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.Sandbox;

/// <summary>Registers the bubblewrap check sandbox.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// The bubblewrap sandbox as <see cref="ICheckRunner"/> and as the run's <see cref="IShellSessionFactory"/>,
    /// configured by <c>CodyBatch:Checks</c> and <c>CodyBatch:Shell</c> (bound and validated by Core).
    /// </summary>
    public static IServiceCollection AddBubblewrapChecks(this IServiceCollection services)
    {
        services.RemoveAll<ICheckRunner>();
        services.AddSingleton<BubblewrapCheckRunner>();
        services.AddSingleton<ICheckRunner>(sp => sp.GetRequiredService<BubblewrapCheckRunner>());
        services.RemoveAll<IShellSessionFactory>();
        services.AddSingleton<IShellSessionFactory, BubblewrapShellSessionFactory>();
        services.RemoveAll<IEgressProxyFactory>();
        services.AddSingleton<IEgressProxyFactory, EgressProxyFactory>();
        return services;
    }
}
