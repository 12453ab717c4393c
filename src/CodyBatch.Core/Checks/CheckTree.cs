using CodyBatch.Core.Workspaces;

namespace CodyBatch.Core.Checks;

/// <summary>
/// The copy of a workspace that checks run in, so nothing a check writes (caches, build output,
/// whatever hostile code leaves) reaches the workspace, its patch or its pull request. Made once
/// from the pristine snapshot; later sessions bring it up to date with the workspace's changes,
/// keeping what setup installed. The tree is written by sandboxed code, so it is distrusted: no
/// link in it is ever followed when it is updated.
/// </summary>
public sealed class CheckTree
{
    private readonly string _source;
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);

    private CheckTree(string source, string path)
    {
        _source = source;
        Path = path;
    }

    /// <summary>The tree's folder (what the sandbox shows as the repository).</summary>
    public string Path { get; }

    /// <summary>Copies <paramref name="source"/> (links as links, modes kept) into a new <paramref name="path"/> with <paramref name="copier"/>.</summary>
    public static async Task<CheckTree> CreateAsync(IFolderCopier copier, string source, string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        await copier.CopyAsync(source, path, cancellationToken);
        return new CheckTree(source, path);
    }

    /// <summary>
    /// Makes the tree match the workspace's <paramref name="changes"/> against the baseline, and puts back
    /// files changed by an earlier update that the workspace has since restored.
    /// </summary>
    public void Update(IReadOnlyList<WorkspaceChange> changes)
    {
        var current = changes.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var relative in current.Union(_applied).Order(StringComparer.Ordinal))
        {
            if (relative.Split('/').Any(part => part is "" or "." or ".."))
            {
                continue;
            }

            var source = System.IO.Path.Combine(_source, relative);
            var target = System.IO.Path.Combine(Path, relative);
            MakeRealDirectories(System.IO.Path.GetDirectoryName(target)!);
            var previous = File.Exists(target) && new FileInfo(target).LinkTarget is null ? File.GetLastWriteTimeUtc(target) : (DateTime?)null;
            RemoveEntry(target);
            var info = new FileInfo(source);
            if (info.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (info.Exists)
            {
                File.Copy(source, target);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, File.GetUnixFileMode(source));
                }

                // Build tools and caches (make, Python's bytecode) go by modification time in whole seconds:
                // a changed file must look newer than what the last session built from it.
                var now = DateTime.UtcNow;
                File.SetLastWriteTimeUtc(target, previous is { } before && before.AddSeconds(1) > now ? before.AddSeconds(1) : now);
            }
        }

        _applied.UnionWith(current);
    }

    // Every folder from the tree's root down to the target is made a real folder: a link left by a check
    // (to /etc, say) is removed rather than followed.
    private void MakeRealDirectories(string directory)
    {
        var relative = System.IO.Path.GetRelativePath(Path, directory);
        var current = Path;
        foreach (var part in relative == "." ? [] : relative.Split(System.IO.Path.DirectorySeparatorChar))
        {
            current = System.IO.Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null || (info.Exists && !info.Attributes.HasFlag(FileAttributes.Directory)))
            {
                info.Delete();
            }

            if (!Directory.Exists(current) || new DirectoryInfo(current).LinkTarget is not null)
            {
                Directory.CreateDirectory(current);
            }
        }
    }

    private static void RemoveEntry(string target)
    {
        var info = new FileInfo(target);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
        else if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
    }
}
