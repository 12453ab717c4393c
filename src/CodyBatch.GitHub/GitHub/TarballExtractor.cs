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
    /// <summary>Unpacks into <paramref name="target"/>, which must be new or empty (a fresh workspace).</summary>
    public Task ExtractAsync(Stream gzip, string target, CancellationToken cancellationToken) =>
        // Unpacking is disk and CPU work; synchronous reads and writes are much faster here than async ones.
        Task.Run(() => Extract(gzip, target, cancellationToken), cancellationToken);

    private const int BufferedFileBytes = 1 << 20;
    private int _pending;

    private void Extract(Stream gzip, string target, CancellationToken cancellationToken)
    {
        // Small files are written by two writers while the next entries are decompressed, the way
        // `gzip | tar` overlaps; the queue is bounded, so memory stays small.
        using var writes = new System.Collections.Concurrent.BlockingCollection<(string Path, byte[] Data, int Length)>(boundedCapacity: 64);
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            foreach (var (path, data, length) in writes.GetConsumingEnumerable())
            {
                using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1))
                {
                    output.Write(data, 0, length);
                }

                System.Buffers.ArrayPool<byte>.Shared.Return(data);
                Interlocked.Decrement(ref _pending);
            }
        })).ToArray();
        try
        {
            Unpack(gzip, target, writes, cancellationToken);
        }
        finally
        {
            writes.CompleteAdding();
            Task.WaitAll(writers, CancellationToken.None);
        }
    }

    private void Unpack(Stream gzip, string target, System.Collections.Concurrent.BlockingCollection<(string Path, byte[] Data, int Length)> writes, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        Directory.CreateDirectory(root);
        if (Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new InvalidOperationException($"{root} is not empty.");
        }

        // Everything under root was made here, so the links on the way are exactly the ones made here.
        var links = new HashSet<string>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal) { root };
        using var decompressed = new GZipStream(gzip, CompressionMode.Decompress);
        using var reader = new TarReader(decompressed);
        long total = 0;
        var entries = 0;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
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
            EnsureNoLinkOnTheWay(root, path, entry.Name, links);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    MakeDirectory(path, directories);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (entry.Length > limits.MaxArchiveFileBytes)
                    {
                        throw Refused($"{relative} is {entry.Length:N0} bytes, over the largest file allowed ({limits.MaxArchiveFileBytes:N0} bytes, CodyBatch:GitHub:MaxArchiveFileBytes)");
                    }

                    MakeDirectory(Path.GetDirectoryName(path)!, directories);
                    total += entry.Length <= BufferedFileBytes && (entry.Mode & UnixFileMode.UserExecute) == 0
                        ? Buffer(entry, path, total, writes)
                        : Copy(entry, path, total);
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

                    MakeDirectory(Path.GetDirectoryName(path)!, directories);
                    File.CreateSymbolicLink(path, linkTarget);
                    links.Add(path);
                    break;
                case TarEntryType.HardLink:
                    var linked = Relative(entry.LinkName) is { } linkedRelative ? Inside(root, linkedRelative, entry.LinkName) : null;
                    // The linked file may still be in the write queue; it is read from the archive's order only after the queue is empty.
                    while (Volatile.Read(ref _pending) > 0)
                    {
                        Thread.Sleep(1);
                    }

                    if (linked is null || links.Contains(linked) || !File.Exists(linked))
                    {
                        throw Refused($"the hard link {relative} points outside the repository ({entry.LinkName})");
                    }

                    // A copy, not a link: the workspace must not share data with anything.
                    EnsureNoLinkOnTheWay(root, linked, entry.LinkName, links);
                    MakeDirectory(Path.GetDirectoryName(path)!, directories);
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

    private long Copy(TarEntry entry, string path, long before)
    {
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        if (entry.DataStream is null)
        {
            return 0;
        }

        var buffer = new byte[1 << 16];
        long written = 0;
        int read;
        while ((read = entry.DataStream.Read(buffer)) > 0)
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

            output.Write(buffer, 0, read);
        }

        return written;
    }

    private long Buffer(TarEntry entry, string path, long before, System.Collections.Concurrent.BlockingCollection<(string Path, byte[] Data, int Length)> writes)
    {
        var length = (int)entry.Length;
        if (before + length > limits.MaxArchiveBytes)
        {
            throw Refused($"it unpacks to more than {limits.MaxArchiveBytes:N0} bytes (CodyBatch:GitHub:MaxArchiveBytes)");
        }

        var data = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        var read = 0;
        while (entry.DataStream is not null && read < length)
        {
            var n = entry.DataStream.Read(data, read, length - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Interlocked.Increment(ref _pending);
        writes.Add((path, data, read));
        return read;
    }

    private static void MakeDirectory(string path, HashSet<string> made)
    {
        if (made.Add(path))
        {
            Directory.CreateDirectory(path);
        }
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
    private static void EnsureNoLinkOnTheWay(string root, string path, string name, HashSet<string> links)
    {
        if (links.Count == 0)
        {
            return;
        }

        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > root.Length; parent = Path.GetDirectoryName(parent))
        {
            if (links.Contains(parent))
            {
                throw Refused($"the entry {name} would be written through the symbolic link {Path.GetRelativePath(root, parent)}");
            }
        }

        if (links.Contains(path))
        {
            throw Refused($"the entry {name} would replace the symbolic link at the same path");
        }
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static RunFailedException Refused(string why) => new($"The repository snapshot was refused: {why}. Nothing was written outside the workspace.");
}
