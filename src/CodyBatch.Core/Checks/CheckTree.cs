using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Workspaces;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Core.Checks;

/// <summary>
/// The copy of a workspace that checks run in, so nothing a check writes (caches, build output,
/// whatever hostile code leaves) reaches the workspace, its patch or its pull request. Made once
/// from the pristine snapshot; later sessions bring it up to date with the workspace's changes,
/// keeping what setup installed. Both sides are reached only through <see cref="ConfinedDirectory"/>
/// walks that refuse every link on the way: links are copied as links, never looked through, special
/// files are skipped, and a link a check left where a folder was is removed rather than followed.
/// </summary>
public sealed class CheckTree
{
    private readonly ConfinedDirectory _source;
    private readonly ConfinedDirectory _tree;
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);

    private CheckTree(string source, string path)
    {
        _source = new ConfinedDirectory(source, LinkPolicy.Refuse);
        _tree = new ConfinedDirectory(path, LinkPolicy.Refuse);
        Path = path;
    }

    /// <summary>The tree's folder (what the sandbox shows as the repository).</summary>
    public string Path { get; }

    /// <summary>Copies <paramref name="source"/> (links as links, modes and times kept, special files left out) into a new <paramref name="path"/>.</summary>
    public static Task<CheckTree> CreateAsync(string source, string path, CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            Directory.CreateDirectory(path);
            var tree = new CheckTree(source, path);
            tree.CopyDirectory("", cancellationToken);
            return tree;
        },
        cancellationToken);

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

            var slash = relative.LastIndexOf('/');
            MakeRealDirectories(slash < 0 ? "" : relative[..slash]);
            var existing = _tree.Stat(relative, followLast: false);
            var previous = existing?.Kind == ConfinedEntryKind.File ? existing.ModifiedUtc : (DateTime?)null;
            if (existing is not null)
            {
                _tree.Delete(relative);
            }

            ConfinedEntry? entry;
            try
            {
                entry = _source.Stat(relative, followLast: false);
            }
            catch (ConfinedPathException)
            {
                // A link on the way in the workspace: nothing there is copied.
                entry = null;
            }

            // Build tools and caches (make, Python's bytecode) go by modification time in whole seconds:
            // a changed file must look newer than what the last session built from it.
            var now = DateTime.UtcNow;
            Copy(relative, entry, previous is { } before && before.AddSeconds(1) > now ? before.AddSeconds(1) : now);
        }

        _applied.UnionWith(current);
    }

    private void CopyDirectory(string relative, CancellationToken cancellationToken)
    {
        foreach (var entry in _source.List(relative))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var child = relative.Length == 0 ? entry.Name : $"{relative}/{entry.Name}";
            if (entry.Kind == ConfinedEntryKind.Directory)
            {
                _tree.CreateDirectory(child);
                CopyDirectory(child, cancellationToken);
            }
            else
            {
                Copy(child, entry, entry.ModifiedUtc);
            }
        }
    }

    /// <summary>
    /// A digest of the workspace's files at <paramref name="paths"/> as they are now (read through the same confined walk;
    /// one missing or refused counts as such, one over 16 MiB by its size and time), to tell whether any changed since an
    /// earlier digest.
    /// </summary>
    public string Digest(IEnumerable<string> paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var relative in paths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            string state;
            try
            {
                var entry = _source.Stat(relative, followLast: false);
                state = entry?.Kind != ConfinedEntryKind.File
                    ? "-"
                    : _source.ReadFile(relative, 16 * 1024 * 1024) is { } content
                        ? Convert.ToHexStringLower(SHA256.HashData(content))
                        : $"{entry.Size}@{entry.ModifiedUtc.Ticks}";
            }
            catch (Exception e) when (e is ConfinedPathException or IOException)
            {
                state = "-";
            }

            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{state}\0"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private void Copy(string relative, ConfinedEntry? entry, DateTime modified)
    {
        switch (entry?.Kind)
        {
            case ConfinedEntryKind.SymbolicLink:
                _tree.CreateSymbolicLink(relative, _source.ReadLink(relative));
                break;
            case ConfinedEntryKind.File:
                using (var input = _source.OpenRead(relative))
                using (var output = _tree.OpenWrite(relative, entry.Mode))
                {
                    input.CopyTo(output);
                    File.SetLastWriteTimeUtc(output.SafeFileHandle, modified);
                }

                break;
            default:
                // Gone, a directory (its files come as their own changes) or a special file: nothing to copy.
                break;
        }
    }

    // Every folder from the tree's root down to the target is made a real folder: a link or file left by a
    // check (a link to /etc, say) is removed rather than followed.
    private void MakeRealDirectories(string directory)
    {
        var current = "";
        foreach (var part in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current.Length == 0 ? part : $"{current}/{part}";
            if (_tree.Stat(current, followLast: false) is { Kind: not ConfinedEntryKind.Directory })
            {
                _tree.Delete(current);
            }

            _tree.CreateDirectory(current);
        }
    }
}
