using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Workspaces;

/// <summary>
/// A run's private folder: <c>repo/</c> holds the snapshot the agent works in; the baseline
/// lives in a git directory beside it (<c>baseline.git/</c>), out of the agent's sight, so
/// every change can be diffed against the snapshot as fetched.
/// </summary>
public sealed class Workspace : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _gitDir;
    private bool _keep;
    private string? _baselineTree;

    internal Workspace(string root)
    {
        _root = root;
        _gitDir = Path.Combine(root, "baseline.git");
        RepositoryPath = Path.Combine(root, "repo");
        Directory.CreateDirectory(RepositoryPath);
    }

    /// <summary>The folder with the repository's tree.</summary>
    public string RepositoryPath { get; }

    /// <summary>Keep the folder when disposed (for inspection of a failed run).</summary>
    public void Keep() => _keep = true;

    /// <summary>Records the current tree as the baseline that <see cref="CreatePatchAsync"/> diffs against.</summary>
    public async Task BaselineAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Git.RunAsync(_root, ["init", "--quiet", "--bare", "--template=", _gitDir], cancellationToken);
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

    /// <summary>The change from the baseline to the current tree as a git unified diff (empty when nothing changed).</summary>
    public async Task<string> CreatePatchAsync(CancellationToken cancellationToken)
    {
        var baseline = _baselineTree ?? throw new InvalidOperationException("The workspace has no baseline yet.");
        await GitAsync(cancellationToken, "add", "--all", "--force", ".");
        return await GitAsync(cancellationToken, "diff", "--cached", "--binary", "--full-index", "--find-renames", "--no-color", "--no-ext-diff", baseline);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_keep)
        {
            try
            {
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

    private async Task<string> GitAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        try
        {
            return await Git.RunAsync(RepositoryPath, ["--git-dir", _gitDir, "--work-tree", RepositoryPath, .. arguments], cancellationToken);
        }
        catch (GitException e)
        {
            throw new RunFailedException($"Could not record the workspace's changes: {e.Error}", e);
        }
    }
}
