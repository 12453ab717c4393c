using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Repositories;
using CodyBatch.GitHub.GitHub;
using CodyBatch.GitHub.GitHub.Identity;
using CodyBatch.GitHub.LocalGit;
using CodyBatch.GitHub.PullRequests;
using CodyBatch.GitHub.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.GitHub;

/// <summary>Registers the repository hosts.</summary>
public static class RepositoryHostsServiceCollectionExtensions
{
    /// <summary>
    /// The engine's <see cref="IRepositoryHost"/>: local git repositories by path (where allowed) and
    /// <c>owner/name</c> repositories on GitHub; plus the catalog of repositories the account can see
    /// and the GitHub side of following pull requests.
    /// </summary>
    public static IServiceCollection AddRepositoryHosts(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<LocalGitOptions>().BindConfiguration(LocalGitOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<GitHubOptions>().BindConfiguration(GitHubOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalGitRepositoryHost>();
        services.TryAddSingleton<GitHubRateLimits>();
        services.TryAddSingleton<GitHubCredentials>();
        services.TryAddSingleton<GitHubConnection>();
        services.TryAddSingleton<GitHubCalls>();
        services.TryAddSingleton<RepositoryCatalog>();
        services.TryAddKeyedSingleton<IRepositoryHost, GitHubRepositoryHost>(RepositoryHostRouter.HostedKey);
        services.TryAddSingleton<IRepositoryHost, RepositoryHostRouter>();
        // After Core's stand-in: the last registration is the one resolved.
        services.AddSingleton<IPullRequestHost, GitHubPullRequestHost>();
        return services;
    }
}
