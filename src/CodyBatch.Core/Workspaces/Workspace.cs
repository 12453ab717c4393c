using System.Text;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Core.Workspaces;

/// <summary>
/// A run's private folder: <c>repo/</c> holds the snapshot the agent works in; the baseline
/// lives in a git directory beside it (<c>baseline.git/</c>), out of the agent's sight, so
/// every change can be diffed against the snapshot as fetched.
/// </summary>
public sealed class Workspace : IAsyncDisposable, IWorkspaceFiles
{
    private readonly string _root;
    private readonly string _gitDir;
    private readonly WorkspaceOptions _limits;
    private readonly IGitCommands _git;
    private bool _keep;
    private string? _baselineTree;

    internal Workspace(string root, WorkspaceOptions limits, IGitCommands git)
    {
        _root = root;
        _limits = limits;
        _git = git;
        _gitDir = Path.Combine(root, "baseline.git");
        RepositoryPath = Path.Combine(root, "repo");
        Directory.CreateDirectory(RepositoryPath);
    }

    /// <summary>The folder with the repository's tree.</summary>
    public string RepositoryPath { get; }

    /// <summary>The folder itself (the tree and its baseline).</summary>
    public string RootPath => _root;

    /// <summary>Keep the folder when disposed (for inspection of a failed run).</summary>
    public void Keep() => _keep = true;

    /// <summary>Records the current tree as the baseline that <see cref="CreatePatchAsync"/> diffs against.</summary>
    public async Task BaselineAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _git.RunAsync(_root, ["init", "--quiet", "--bare", "--template=", _gitDir], cancellationToken);
        }
        catch (GitException e)
        {
            throw new RunFailedException($"Could not record the workspace's changes: {e.Error}", e);
        }

        // Bare keeps git's files out of the tree; the tree itself is the work tree.
        await File.AppendAllTextAsync(Path.Combine(_gitDir, "config"), "[core]\n\tbare = false\n", cancellationToken);
        await GitAsync(cancellationToken, "add", "--all", "--force", ".");
        _baselineTree = (await GitAsync(cancellationToken, "write-tree")).Trim();
    }

    /// <summary>
    /// Takes what setup wrote into the tree (an installed <c>node_modules/</c> the repository does not ignore, a generated
    /// lock file) into the baseline, so that it is not part of the change; new files the repository ignores stay out of
    /// both, as always.
    /// </summary>
    public async Task RebaselineAsync(CancellationToken cancellationToken)
    {
        _ = _baselineTree ?? throw new InvalidOperationException("The workspace has no baseline yet.");
        await StageChangesAsync(cancellationToken);
        _baselineTree = (await GitAsync(cancellationToken, "write-tree")).Trim();
    }

    /// <summary>
    /// Makes a git directory (<c>view.git/</c> beside the tree) holding one commit with the snapshot's tree, for the
    /// sandbox to show read-only as <c>/repo/.git</c>, so that tools taking their version from git (setuptools-scm,
    /// MinVer) work. It is a copy: nothing written through it (were it writable) reaches the baseline or the patch.
    /// The commit's message names the snapshot's own commit (<paramref name="snapshotCommit"/>), whose history is not fetched.
    /// </summary>
    public async Task<string> CreateGitViewAsync(string? snapshotCommit, CancellationToken cancellationToken)
    {
        var tree = _baselineTree ?? throw new InvalidOperationException("The workspace has no baseline yet.");
        var view = Path.Combine(_root, "view.git");
        var fixedTime = "1970-01-01T00:00:00Z";
        var identity = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "Cody Batch", ["GIT_AUTHOR_EMAIL"] = "codybatch@localhost", ["GIT_AUTHOR_DATE"] = fixedTime,
            ["GIT_COMMITTER_NAME"] = "Cody Batch", ["GIT_COMMITTER_EMAIL"] = "codybatch@localhost", ["GIT_COMMITTER_DATE"] = fixedTime,
        };
        try
        {
            var message = snapshotCommit is null ? "Snapshot" : $"Snapshot of {snapshotCommit}";
            var commit = (await _git.RunAsync(_root, ["--git-dir", _gitDir, "commit-tree", tree, "-m", message], cancellationToken, identity)).Trim();
            await _git.RunAsync(_root, ["init", "--quiet", "--bare", "--template=", view], cancellationToken);

            // The baseline's objects lent for a moment, packed into the view's own, and the loan ended: the view stands alone.
            var alternates = Path.Combine(view, "objects", "info", "alternates");
            Directory.CreateDirectory(Path.GetDirectoryName(alternates)!);
            await File.WriteAllTextAsync(alternates, Path.Combine(_gitDir, "objects") + "\n", cancellationToken);
            await _git.RunAsync(_root, ["--git-dir", view, "update-ref", "refs/heads/snapshot", commit], cancellationToken);
            await _git.RunAsync(_root, ["--git-dir", view, "symbolic-ref", "HEAD", "refs/heads/snapshot"], cancellationToken);
            await _git.RunAsync(_root, ["--git-dir", view, "repack", "-a", "-d", "-q"], cancellationToken);
            File.Delete(alternates);
            await File.AppendAllTextAsync(Path.Combine(view, "config"), "[core]\n\tbare = false\n", cancellationToken);

            // An index of the snapshot, so `git status` and `git describe --dirty` compare the tree with it rather than see every file new.
            await _git.RunAsync(RepositoryPath, ["--git-dir", view, "--work-tree", RepositoryPath, "read-tree", "snapshot"], cancellationToken);
            return view;
        }
        catch (GitException e)
        {
            throw new RunFailedException($"Could not make the read-only git view of the snapshot: {e.Error}", e);
        }
    }

    /// <summary>
    /// The change from the baseline to the current tree as a git unified diff (empty when nothing
    /// changed), checked against the limits and verified to apply to the baseline.
    /// </summary>
    public async Task<string> CreatePatchAsync(CancellationToken cancellationToken)
    {
        var baseline = _baselineTree ?? throw new InvalidOperationException("The workspace has no baseline yet.");
        await StageChangesAsync(cancellationToken);
        await CheckWrittenFilesAsync(baseline, cancellationToken);

        string patch;
        try
        {
            patch = await _git.RunAsync(
                RepositoryPath,
                [.. GitDirArguments, "diff", "--cached", "--binary", "--full-index", "--find-renames", "--no-color", "--no-ext-diff", baseline],
                cancellationToken,
                maxOutputChars: _limits.MaxPatchBytes + 1);
        }
        catch (GitOutputTooLargeException)
        {
            throw PatchTooLarge(null);
        }
        catch (GitException e)
        {
            throw new RunFailedException($"Could not record the workspace's changes: {e.Error}", e);
        }

        var bytes = Encoding.UTF8.GetByteCount(patch);
        if (bytes > _limits.MaxPatchBytes)
        {
            throw PatchTooLarge(bytes);
        }

        if (patch.Length > 0)
        {
            await CheckAppliesAsync(patch, cancellationToken);
        }

        return patch;
    }

    /// <summary>
    /// Checks that <paramref name="patch"/> applies to the baseline, as <c>git apply --check</c> on an
    /// untouched copy of the snapshot would (against a scratch index of the baseline tree).
    /// </summary>
    public async Task CheckAppliesAsync(string patch, CancellationToken cancellationToken)
    {
        var baseline = _baselineTree ?? throw new InvalidOperationException("The workspace has no baseline yet.");
        var patchFile = Path.Combine(_root, "change.patch");
        var index = Path.Combine(_root, "check.index");
        await File.WriteAllTextAsync(patchFile, patch, new UTF8Encoding(false), cancellationToken);
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        try
        {
            await _git.RunAsync(RepositoryPath, [.. GitDirArguments, "read-tree", baseline], cancellationToken, environment);
            await _git.RunAsync(RepositoryPath, [.. GitDirArguments, "apply", "--cached", "--check", patchFile], cancellationToken, environment);
        }
        catch (GitException e)
        {
            throw new RunFailedException(
                $"The patch does not apply to the snapshot it was made from, so it was not stored (git apply --check: {FirstLine(e.Error)}).", e);
        }
        finally
        {
            File.Delete(patchFile);
            File.Delete(index);
        }
    }

    /// <summary>
    /// Applies <paramref name="patch"/> (made by <see cref="CreatePatchAsync"/> on the same snapshot) to
    /// the tree, as the agent's work left it: how an attempt that only publishes gets the change back.
    /// </summary>
    public async Task ApplyAsync(string patch, CancellationToken cancellationToken)
    {
        if (patch.Length == 0)
        {
            return;
        }

        var patchFile = Path.Combine(_root, "stored.patch");
        await File.WriteAllTextAsync(patchFile, patch, new UTF8Encoding(false), cancellationToken);
        try
        {
            await _git.RunAsync(RepositoryPath, [.. GitDirArguments, "apply", "--whitespace=nowarn", patchFile], cancellationToken);
        }
        catch (GitException e)
        {
            throw new RunFailedException($"The stored patch does not apply to the snapshot it was made from (git apply: {FirstLine(e.Error)}).", e);
        }
        finally
        {
            File.Delete(patchFile);
        }
    }

    /// <summary>The files changed against the baseline, with their modes, for hosts that publish file by file.</summary>
    public async Task<IReadOnlyList<WorkspaceChange>> ListChangesAsync(CancellationToken cancellationToken)
    {
        var baseline = _baselineTree ?? throw new InvalidOperationException("The workspace has no baseline yet.");
        await StageChangesAsync(cancellationToken);
        var binary = new HashSet<string>(StringComparer.Ordinal);
        var numstat = (await GitAsync(cancellationToken, "diff", "--cached", "--numstat", "-z", "--no-renames", baseline)).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in numstat)
        {
            if (line.StartsWith("-\t-\t", StringComparison.Ordinal))
            {
                binary.Add(line[4..]);
            }
        }

        // --raw -z: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0" per file.
        var raw = (await GitAsync(cancellationToken, "diff", "--cached", "--raw", "-z", "--no-renames", baseline)).Split('\0');
        var changes = new List<WorkspaceChange>();
        for (var i = 0; i + 1 < raw.Length; i += 2)
        {
            var fields = raw[i].TrimStart(':').Split(' ');
            if (fields.Length < 5)
            {
                break;
            }

            var deleted = fields[4].StartsWith('D');
            changes.Add(new WorkspaceChange(raw[i + 1], deleted, deleted ? null : fields[1], binary.Contains(raw[i + 1])));
        }

        return changes;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListFilesAsync(CancellationToken cancellationToken)
    {
        // Tracked files that .gitignore covers count as ignored too, the way code search tools treat them.
        var listed = await GitAsync(cancellationToken, "ls-files", "--cached", "--others", "--exclude-standard", "-z");
        var ignored = (await GitAsync(cancellationToken, "ls-files", "--cached", "--ignored", "--exclude-standard", "-z"))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        return [.. listed.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !ignored.Contains(path))
            .Distinct(StringComparer.Ordinal)
            .Where(Present)
            .Order(StringComparer.Ordinal)];
    }

    // Present as itself, a link included (git tracks links as links), never judged by what a link points
    // to: File.Exists would follow one out of the workspace and tell whether a host path exists.
    private bool Present(string relative)
    {
        try
        {
            return new ConfinedDirectory(RepositoryPath, LinkPolicy.Refuse).Stat(relative, followLast: false) is { Kind: not ConfinedEntryKind.Directory };
        }
        catch (ConfinedPathException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_keep)
        {
            try
            {
                // The checks' tree may be a filesystem of its own (a size-limited tmpfs); detached first, it goes with the folder.
                MountedFolders.DetachUnder(_root);
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover folder is harmless; the next start does not reuse it.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }

        return ValueTask.CompletedTask;
    }

    // Every file of the snapshot is in the baseline (ignored or not); of the new files, those the repository ignores
    // (installed packages, caches, build output the shell left) stay out of the change.
    private Task<string> StageChangesAsync(CancellationToken cancellationToken) => GitAsync(cancellationToken, "add", "--all", ".");

    private string[] GitDirArguments => ["--git-dir", _gitDir, "--work-tree", RepositoryPath];

    private async Task CheckWrittenFilesAsync(string baseline, CancellationToken cancellationToken)
    {
        // Every file added or changed, under its new name; deletions cannot be too large.
        var changed = await GitAsync(cancellationToken, "diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=d", baseline);
        foreach (var path in changed.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var file = new FileInfo(Path.Combine(RepositoryPath, path));
            if (file.LinkTarget is null && file.Exists && file.Length > _limits.MaxFileBytes)
            {
                throw new RunFailedException(
                    $"{path} is {file.Length:N0} bytes, over the largest file a run may write ({_limits.MaxFileBytes:N0} bytes, CodyBatch:Workspace:MaxFileBytes).");
            }
        }
    }

    private RunFailedException PatchTooLarge(long? bytes) => new(
        $"The patch is {(bytes is { } b ? $"{b:N0} bytes" : "larger than that")}, over the largest patch a run may produce "
        + $"({_limits.MaxPatchBytes:N0} bytes, CodyBatch:Workspace:MaxPatchBytes).");

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private async Task<string> GitAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        try
        {
            return await _git.RunAsync(RepositoryPath, [.. GitDirArguments, .. arguments], cancellationToken);
        }
        catch (GitException e)
        {
            throw new RunFailedException($"Could not record the workspace's changes: {e.Error}", e);
        }
    }
}
