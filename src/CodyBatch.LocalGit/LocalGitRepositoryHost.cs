using System.Text;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Options;

namespace CodyBatch.LocalGit;

/// <summary>
/// Git repositories on this machine. The snapshot is a commit's tree, read through a scratch
/// repository of Cody Batch's own that borrows the user's objects, so the user's index, working
/// tree, uncommitted changes and configuration are never touched or read: no filter, hook or
/// file-system monitor the repository configures can run. Publishing writes one commit on the
/// branch <c>codybatch/&lt;job&gt;</c> the same way; only resolving and moving the ref run in the
/// user's repository, with hooks and every executing setting overridden (see <see cref="GitCommandLine"/>).
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
            commit = (await GitCommandLine.RunAsync(
                path, ["--git-dir", gitDir, "rev-parse", "--verify", "--quiet", "--end-of-options", $"{reference ?? "HEAD"}^{{commit}}"], cancellationToken, safeDirectory: path)).Trim();
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
        await WithScratchRepositoryAsync(
            path,
            gitDir,
            writeObjects: false,
            async (scratch, environment) =>
            {
                string[] tree = ["--git-dir", scratch, "--work-tree", directory];
                await GitCommandLine.RunAsync(directory, [.. tree, "read-tree", repository.CommitSha], cancellationToken, environment);
                await GitCommandLine.RunAsync(directory, [.. tree, "checkout-index", "--all", "--force"], cancellationToken, environment);
            },
            cancellationToken,
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
            await WithScratchRepositoryAsync(
                path,
                gitDir,
                writeObjects: true,
                async (scratch, environment) =>
                {
                    environment["GIT_AUTHOR_NAME"] = environment["GIT_COMMITTER_NAME"] = settings.AuthorName;
                    environment["GIT_AUTHOR_EMAIL"] = environment["GIT_COMMITTER_EMAIL"] = settings.AuthorEmail;
                    string[] git = ["--git-dir", scratch];
                    await GitCommandLine.RunAsync(scratch, [.. git, "read-tree", request.Repository.CommitSha], cancellationToken, environment);
                    await GitCommandLine.RunAsync(scratch, [.. git, "apply", "--cached", "--whitespace=nowarn", patchFile], cancellationToken, environment);
                    var tree = (await GitCommandLine.RunAsync(scratch, [.. git, "write-tree"], cancellationToken, environment)).Trim();
                    var message = string.IsNullOrWhiteSpace(request.Body) ? request.Title : $"{request.Title}\n\n{request.Body}";
                    var commit = (await GitCommandLine.RunAsync(
                        scratch, [.. git, "commit-tree", tree, "-p", request.Repository.CommitSha, "-m", message], cancellationToken, environment)).Trim();

                    // The one write in the user's repository. Moves the branch when it exists, so a retry replaces its earlier commit.
                    await GitCommandLine.RunAsync(
                        path, ["--git-dir", gitDir, "update-ref", "-m", $"codybatch: job {request.JobId}", $"refs/heads/{branch}", commit], cancellationToken, safeDirectory: path);
                },
                cancellationToken,
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
            return (await GitCommandLine.RunAsync(path, ["rev-parse", "--absolute-git-dir"], cancellationToken, safeDirectory: path)).Trim();
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
            var branch = (await GitCommandLine.RunAsync(path, ["--git-dir", gitDir, "symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken, safeDirectory: path)).Trim();
            return branch.Length == 0 ? null : branch;
        }
        catch (GitException)
        {
            return null;
        }
    }

    // A repository of Cody Batch's own (its config, no hooks) whose object store is the user's: borrowed read-only
    // through GIT_ALTERNATE_OBJECT_DIRECTORIES, or, to publish, written through GIT_OBJECT_DIRECTORY.
    private static async Task WithScratchRepositoryAsync(
        string path,
        string gitDir,
        bool writeObjects,
        Func<string, Dictionary<string, string>, Task> action,
        CancellationToken cancellationToken,
        string failure)
    {
        var scratch = Directory.CreateTempSubdirectory("codybatch-git-").FullName;
        try
        {
            var commonDir = (await GitCommandLine.RunAsync(path, ["--git-dir", gitDir, "rev-parse", "--git-common-dir"], cancellationToken, safeDirectory: path)).Trim();
            var objects = Path.Combine(Path.GetFullPath(commonDir, path), "objects");
            var format = (await GitCommandLine.RunAsync(path, ["--git-dir", gitDir, "rev-parse", "--show-object-format"], cancellationToken, safeDirectory: path)).Trim();
            var git = Path.Combine(scratch, "git");
            await GitCommandLine.RunAsync(scratch, ["init", "--quiet", "--bare", "--template=", $"--object-format={format}", git], cancellationToken);

            // Bare keeps the scratch tree-less; the snapshot names its work tree on each command.
            await File.AppendAllTextAsync(Path.Combine(git, "config"), "[core]\n\tbare = false\n", cancellationToken);
            var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = Path.Combine(scratch, "index") };
            environment[writeObjects ? "GIT_OBJECT_DIRECTORY" : "GIT_ALTERNATE_OBJECT_DIRECTORIES"] = objects;
            await action(git, environment);
        }
        catch (GitException e)
        {
            throw new RunFailedException($"{failure}: {e.Error.Split('\n', 2)[0]}", e);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
