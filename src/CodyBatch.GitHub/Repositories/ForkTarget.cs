using System.Net;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;
using CodyBatch.GitHub.Api;
using Octokit;

namespace CodyBatch.GitHub.Repositories;

/// <summary>
/// The account's fork of a repository it may read but not push to (<c>CodyBatch:GitHub:ForkWhenNoPush</c>),
/// in the account or in <c>CodyBatch:GitHub:ForkOrganization</c>. Forking an already forked
/// repository answers the existing fork. GitHub forks asynchronously, so this waits (1, 2, 4… seconds,
/// at most <c>ForkReadyTimeout</c>) until the fork holds the commit the change is based on.
/// </summary>
internal sealed class ForkTarget(GitHubCalls calls, GitHubOptions options, TimeProvider time)
{
    /// <summary>The fork's owner and name, ready to take a branch on top of <paramref name="baseCommit"/>.</summary>
    public async Task<(string Owner, string Name)> EnsureAsync(IGitHubClient client, string owner, string name, string baseCommit, CancellationToken cancellationToken)
    {
        Repository fork;
        try
        {
            fork = await calls.WriteAsync(
                $"fork {owner}/{name}",
                () => client.Repository.Forks.Create(owner, name, new NewRepositoryFork { Organization = string.IsNullOrWhiteSpace(options.ForkOrganization) ? null : options.ForkOrganization }),
                cancellationToken);
        }
        catch (Exception e) when (e is ForbiddenException or ApiValidationException or NotFoundException)
        {
            throw new RunFailedException($"GitHub did not let the service account fork {owner}/{name} ({e.Message}); the patch is kept.");
        }

        var (forkOwner, forkName) = (fork.Owner.Login, fork.Name);
        var waited = TimeSpan.Zero;
        for (var wait = TimeSpan.FromSeconds(1); ; wait *= 2)
        {
            try
            {
                await calls.ReadAsync($"check the fork {forkOwner}/{forkName}", () => client.Repository.Commit.Get(forkOwner, forkName, baseCommit), cancellationToken);
                break;
            }
            catch (ApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity)
            {
                if (waited >= options.ForkReadyTimeout)
                {
                    throw new RunFailedException($"The fork {forkOwner}/{forkName} was not ready after {Durations.Describe(waited)}; retry the run in a while (CodyBatch:GitHub:ForkReadyTimeout).");
                }

                if (RunActivity.Current is { } activity)
                {
                    await activity.ReportAsync($"Waiting for GitHub to finish the fork {forkOwner}/{forkName}.");
                }

                wait = wait > options.ForkReadyTimeout - waited ? options.ForkReadyTimeout - waited : wait;
                await Task.Delay(wait, time, cancellationToken);
                waited += wait;
            }
        }

        if (RunActivity.Current is { } done)
        {
            await done.ReportAsync(null);
        }

        return (forkOwner, forkName);
    }
}
