using CodyBatch.Core.Checks;
using CodyBatch.Sandbox.Bubblewrap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.Sandbox;

/// <summary>Registers the bubblewrap check sandbox.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>The bubblewrap sandbox as <see cref="ICheckRunner"/>, with <c>CodyBatch:Checks</c> options validated at start.</summary>
    public static IServiceCollection AddBubblewrapChecks(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<CheckOptions>().BindConfiguration(CheckOptions.Section).ValidateDataAnnotations();
        services.RemoveAll<ICheckRunner>();
        services.AddSingleton<ICheckRunner, BubblewrapCheckRunner>();
        return services;
    }
}
