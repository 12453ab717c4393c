using System.Formats.Tar;
using System.IO.Compression;
using CodyBatch.Core.Runs;

namespace CodyBatch.GitHub.GitHub;

/// <summary>
/// Unpacks a GitHub tarball (gzip, one top-level folder) into a workspace, streaming from disk.
/// Nothing may land outside the target: entries with absolute paths or <c>..</c>, symbolic links
/// whose target leaves the tree, hard links to anything outside, and writes through an earlier
/// symbolic link are refused; total bytes, entry count and single-file size are capped, counted
/// on the bytes actually unpacked. Symbolic links inside the tree stay symbolic links.
/// </summary>
internal sealed class TarballExtractor(GitHubOptions limits)
{
    public async Task ExtractAsync(Stream gzip, string target, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        Directory.CreateDirectory(root);
        await using var decompressed = new GZipStream(gzip, CompressionMode.Decompress);
        await using var reader = new TarReader(decompressed);
        long total = 0;
        var entries = 0;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
            {
                continue;
            }

            if (++entries > limits.MaxArchiveEntries)
            {
                throw Refused($"it has more than {limits.MaxArchiveEntries:N0} entries (CodyBatch:GitHub:MaxArchiveEntries)");
            }

            var relative = Relative(entry.Name);
            if (relative is null)
            {
                continue;
            }

            var path = Inside(root, relative, entry.Name);
            EnsureNoLinkOnTheWay(root, path, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (entry.Length > limits.MaxArchiveFileBytes)
                    {
                        throw Refused($"{relative} is {entry.Length:N0} bytes, over the largest file allowed ({limits.MaxArchiveFileBytes:N0} bytes, CodyBatch:GitHub:MaxArchiveFileBytes)");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    total += await CopyAsync(entry, path, total, cancellationToken);
                    if (!OperatingSystem.IsWindows() && (entry.Mode & UnixFileMode.UserExecute) != 0)
                    {
                        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    var linkTarget = entry.LinkName;
                    if (string.IsNullOrEmpty(linkTarget) || Path.IsPathRooted(linkTarget)
                        || !IsInside(root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, linkTarget))))
                    {
                        throw Refused($"the symbolic link {relative} points outside the repository ({linkTarget})");
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.CreateSymbolicLink(path, linkTarget);
                    break;
                case TarEntryType.HardLink:
                    var linked = Relative(entry.LinkName) is { } linkedRelative ? Inside(root, linkedRelative, entry.LinkName) : null;
                    if (linked is null || !File.Exists(linked) || new FileInfo(linked).LinkTarget is not null)
                    {
                        throw Refused($"the hard link {relative} points outside the repository ({entry.LinkName})");
                    }

                    // A copy, not a link: the workspace must not share data with anything.
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.Copy(linked, path, overwrite: true);
                    total += new FileInfo(path).Length;
                    break;
                default:
                    // Devices, FIFOs and the like have no place in a repository; they are skipped.
                    break;
            }

            if (total > limits.MaxArchiveBytes)
            {
                throw Refused($"it unpacks to more than {limits.MaxArchiveBytes:N0} bytes (CodyBatch:GitHub:MaxArchiveBytes)");
            }
        }
    }

    private async Task<long> CopyAsync(TarEntry entry, string path, long before, CancellationToken cancellationToken)
    {
        if (entry.DataStream is null)
        {
            await File.WriteAllBytesAsync(path, [], cancellationToken);
            return 0;
        }

        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long written = 0;
        int read;
        while ((read = await entry.DataStream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            written += read;
            if (written > limits.MaxArchiveFileBytes)
            {
                throw Refused($"{entry.Name} is over the largest file allowed ({limits.MaxArchiveFileBytes:N0} bytes, CodyBatch:GitHub:MaxArchiveFileBytes)");
            }

            if (before + written > limits.MaxArchiveBytes)
            {
                throw Refused($"it unpacks to more than {limits.MaxArchiveBytes:N0} bytes (CodyBatch:GitHub:MaxArchiveBytes)");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return written;
    }

    // GitHub puts everything under one folder named after the repository and commit; it is dropped.
    private static string? Relative(string name)
    {
        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length > 1 && normalized[1] == ':'))
        {
            throw Refused($"the entry {name} has an absolute path");
        }

        var slash = normalized.IndexOf('/', StringComparison.Ordinal);
        var rest = slash < 0 ? "" : normalized[(slash + 1)..].TrimEnd('/');
        if (rest.Split('/').Any(segment => segment == ".."))
        {
            throw Refused($"the entry {name} climbs out of the repository with '..'");
        }

        return rest.Length == 0 ? null : rest;
    }

    private static string Inside(string root, string relative, string name)
    {
        var path = Path.GetFullPath(Path.Combine(root, relative));
        return IsInside(root, path) ? path : throw Refused($"the entry {name} would land outside the repository");
    }

    // An earlier entry may have made a folder on the way a symbolic link; writing through it could leave the tree.
    private static void EnsureNoLinkOnTheWay(string root, string path, string name)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > root.Length; parent = Path.GetDirectoryName(parent))
        {
            if (new DirectoryInfo(parent).LinkTarget is not null || new FileInfo(parent).LinkTarget is not null)
            {
                throw Refused($"the entry {name} would be written through the symbolic link {Path.GetRelativePath(root, parent)}");
            }
        }

        if (new FileInfo(path).LinkTarget is not null)
        {
            throw Refused($"the entry {name} would replace the symbolic link at the same path");
        }
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static RunFailedException Refused(string why) => new($"The repository snapshot was refused: {why}. Nothing was written outside the workspace.");
}
