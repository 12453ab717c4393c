using CodyBatch.Core.PullRequests;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Identity;
using CodyBatch.GitHub.PullRequests;
using CodyBatch.GitHub.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodyBatch.GitHub;

/// <summary>Registers GitHub as a repository host and a pull request host.</summary>
public static class GitHubServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="GitHubRepositoryHost"/> for <c>owner/name</c> repositories (the host routes to it), the
    /// catalog of repositories the account can see, and the GitHub side of following pull requests.
    /// </summary>
    public static IServiceCollection AddGitHub(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<GitHubOptions>().BindConfiguration(GitHubOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GitHubRateLimits>();
        services.TryAddSingleton<GitHubCredentials>();
        services.TryAddSingleton<GitHubConnection>();
        services.TryAddSingleton<GitHubCalls>();
        services.TryAddSingleton<RepositoryCatalog>();
        services.TryAddSingleton<Core.Repositories.IRepositoryDirectory, GitHubRepositoryDirectory>();
        services.TryAddSingleton<GitHubRepositoryHost>();
        // After Core's stand-in: the last registration is the one resolved.
        services.AddSingleton<IPullRequestHost, GitHubPullRequestHost>();
        services.AddSingleton<CodyBatch.Core.Publishing.IOpenPullRequests, GitHubOpenPullRequests>();
        return services;
    }
}
