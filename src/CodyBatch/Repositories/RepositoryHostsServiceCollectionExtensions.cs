using CodyBatch.Core.Repositories;
using CodyBatch.GitHub;
using CodyBatch.GitHub.Repositories;
using CodyBatch.LocalGit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.Repositories;

/// <summary>Wires the repository hosts the engine sees, and the routing between them.</summary>
internal static class RepositoryHostsServiceCollectionExtensions
{
    /// <summary>
    /// The engine's <see cref="IRepositoryHost"/>: <see cref="RepositoryHostRouter"/> over local git repositories
    /// by path (where allowed) and <c>owner/name</c> repositories on GitHub; with this machine's git behind Core's
    /// workspaces and the GitHub side of following pull requests.
    /// </summary>
    public static IServiceCollection AddRepositoryHosts(this IServiceCollection services)
    {
        services.AddLocalGit();
        services.AddGitHub();
        services.TryAddKeyedSingleton<IRepositoryHost>(RepositoryHostRouter.HostedKey, (sp, _) => sp.GetRequiredService<GitHubRepositoryHost>());
        services.TryAddSingleton<IRepositoryHost, RepositoryHostRouter>();
        return services;
    }
}
