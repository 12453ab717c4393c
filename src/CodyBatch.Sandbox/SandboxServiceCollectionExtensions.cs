using CodyBatch.Core.Checks;
using CodyBatch.Sandbox.Bubblewrap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.Sandbox;

/// <summary>Registers the bubblewrap check sandbox.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>The bubblewrap sandbox as <see cref="ICheckRunner"/>, configured by <c>CodyBatch:Checks</c> (bound and validated by Core).</summary>
    public static IServiceCollection AddBubblewrapChecks(this IServiceCollection services)
    {
        services.RemoveAll<ICheckRunner>();
        services.AddSingleton<ICheckRunner, BubblewrapCheckRunner>();
        return services;
    }
}
