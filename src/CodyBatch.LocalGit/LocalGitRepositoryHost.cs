using System.Text;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Options;

namespace CodyBatch.LocalGit;

/// <summary>
/// Git repositories on this machine. The snapshot is a commit's tree, read through a scratch
/// index so the user's index, working tree and uncommitted changes are never touched; publishing
/// writes one commit on the branch <c>codybatch/&lt;job&gt;</c> the same way.
/// </summary>
public sealed class LocalGitRepositoryHost(IOptions<LocalGitOptions> options) : IRepositoryHost
{
    /// <inheritdoc />
    public async Task<ResolvedRepository> ResolveAsync(string repository, CancellationToken cancellationToken)
    {
        var (path, reference) = LocalRepository.Parse(repository);
        var gitDir = await GitDirectoryAsync(path, cancellationToken);
        string commit;
        try
        {
            commit = (await GitCommandLine.RunAsync(path, ["--git-dir", gitDir, "rev-parse", "--verify", "--quiet", "--end-of-options", $"{reference ?? "HEAD"}^{{commit}}"], cancellationToken)).Trim();
        }
        catch (GitException)
        {
            throw new RunFailedException(reference is null
                ? $"{path} has no commits yet; commit something first."
                : $"{path} has no branch, tag or commit \"{reference}\".");
        }

        var branch = reference ?? await CurrentBranchAsync(path, gitDir, cancellationToken) ?? "HEAD";
        return new ResolvedRepository(LocalRepository.DisplayName(repository), branch, commit, CanPush: true, Location: repository);
    }

    /// <inheritdoc />
    public async Task FetchSnapshotAsync(ResolvedRepository repository, string directory, CancellationToken cancellationToken)
    {
        var (path, _) = LocalRepository.Parse(Location(repository));
        var gitDir = await GitDirectoryAsync(path, cancellationToken);
        await WithScratchIndexAsync(
            async environment =>
            {
                string[] tree = ["--git-dir", gitDir, "--work-tree", directory];
                await GitCommandLine.RunAsync(directory, [.. tree, "read-tree", repository.CommitSha], cancellationToken, environment);
                await GitCommandLine.RunAsync(directory, [.. tree, "checkout-index", "--all", "--force"], cancellationToken, environment);
            },
            $"Could not read commit {repository.CommitSha[..Math.Min(12, repository.CommitSha.Length)]} of {path}");
    }

    /// <inheritdoc />
    public async Task<PublishedChange> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var (path, _) = LocalRepository.Parse(Location(request.Repository));
        var gitDir = await GitDirectoryAsync(path, cancellationToken);
        var branch = $"{(request.Settings ?? Core.Publishing.PublishSettings.Default).BranchPrefix}{request.CampaignId ?? request.JobId}";
        if (await CurrentBranchAsync(path, gitDir, cancellationToken) == branch)
        {
            throw new RunFailedException($"{branch} is checked out in {path}; switch to another branch so it can be updated, then retry.");
        }

        var settings = options.Value;
        var patchFile = Path.Combine(Path.GetTempPath(), $"codybatch-{Guid.NewGuid():N}.patch");
        await File.WriteAllTextAsync(patchFile, request.Patch, new UTF8Encoding(false), cancellationToken);
        try
        {
            await WithScratchIndexAsync(
                async environment =>
                {
                    environment["GIT_AUTHOR_NAME"] = environment["GIT_COMMITTER_NAME"] = settings.AuthorName;
                    environment["GIT_AUTHOR_EMAIL"] = environment["GIT_COMMITTER_EMAIL"] = settings.AuthorEmail;
                    string[] git = ["--git-dir", gitDir];
                    await GitCommandLine.RunAsync(path, [.. git, "read-tree", request.Repository.CommitSha], cancellationToken, environment);
                    await GitCommandLine.RunAsync(path, [.. git, "apply", "--cached", "--whitespace=nowarn", patchFile], cancellationToken, environment);
                    var tree = (await GitCommandLine.RunAsync(path, [.. git, "write-tree"], cancellationToken, environment)).Trim();
                    var message = string.IsNullOrWhiteSpace(request.Body) ? request.Title : $"{request.Title}\n\n{request.Body}";
                    var commit = (await GitCommandLine.RunAsync(
                        path, [.. git, "commit-tree", tree, "-p", request.Repository.CommitSha, "-m", message], cancellationToken, environment)).Trim();

                    // Moves the branch when it exists, so a retry replaces its earlier commit instead of failing.
                    await GitCommandLine.RunAsync(path, [.. git, "update-ref", "-m", $"codybatch: job {request.JobId}", $"refs/heads/{branch}", commit], cancellationToken, environment);
                },
                $"Could not write the branch {branch} in {path}");
        }
        finally
        {
            File.Delete(patchFile);
        }

        return new PublishedChange(branch, null);
    }

    private static string Location(ResolvedRepository repository) =>
        repository.Location ?? throw new InvalidOperationException($"{repository.FullName} is not a local repository.");

    private static async Task<string> GitDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path))
        {
            throw new RunFailedException($"There is no folder {path}.");
        }

        try
        {
            return (await GitCommandLine.RunAsync(path, ["rev-parse", "--absolute-git-dir"], cancellationToken)).Trim();
        }
        catch (GitException)
        {
            throw new RunFailedException($"{path} is not a git repository.");
        }
    }

    private static async Task<string?> CurrentBranchAsync(string path, string gitDir, CancellationToken cancellationToken)
    {
        try
        {
            var branch = (await GitCommandLine.RunAsync(path, ["--git-dir", gitDir, "symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken)).Trim();
            return branch.Length == 0 ? null : branch;
        }
        catch (GitException)
        {
            return null;
        }
    }

    private static async Task WithScratchIndexAsync(Func<Dictionary<string, string>, Task> action, string failure)
    {
        var index = Path.Combine(Path.GetTempPath(), $"codybatch-{Guid.NewGuid():N}.index");
        try
        {
            await action(new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index });
        }
        catch (GitException e)
        {
            throw new RunFailedException($"{failure}: {e.Error.Split('\n', 2)[0]}", e);
        }
        finally
        {
            File.Delete(index);
        }
    }
}
