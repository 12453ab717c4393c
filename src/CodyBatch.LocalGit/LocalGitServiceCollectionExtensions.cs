using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.LocalGit;

/// <summary>Registers this machine's git and file work.</summary>
public static class LocalGitServiceCollectionExtensions
{
    /// <summary>
    /// The git command line behind Core's workspaces (<see cref="IGitCommands"/>) and
    /// <see cref="LocalGitRepositoryHost"/> with its settings.
    /// </summary>
    public static IServiceCollection AddLocalGit(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<LocalGitOptions>().BindConfiguration(LocalGitOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton<IGitCommands, GitCommandLine>();
        services.TryAddSingleton<LocalGitRepositoryHost>();
        return services;
    }
}
