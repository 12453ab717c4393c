using CodyBatch.Core.Repositories;
using CodyBatch.GitHub.LocalGit;
using CodyBatch.GitHub.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.GitHub;

/// <summary>Registers the repository hosts.</summary>
public static class RepositoryHostsServiceCollectionExtensions
{
    /// <summary>
    /// The engine's <see cref="IRepositoryHost"/>: local git repositories by path (where allowed) and
    /// hosted <c>owner/name</c> repositories (GitHub is not built yet: those runs fail and say so).
    /// </summary>
    public static IServiceCollection AddRepositoryHosts(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<LocalGitOptions>().BindConfiguration(LocalGitOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton<LocalGitRepositoryHost>();
        services.TryAddKeyedSingleton<IRepositoryHost, GitHubNotAvailableHost>(RepositoryHostRouter.HostedKey);
        services.TryAddSingleton<IRepositoryHost, RepositoryHostRouter>();
        return services;
    }
}
