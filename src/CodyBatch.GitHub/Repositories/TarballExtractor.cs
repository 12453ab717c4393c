using System.Formats.Tar;
using System.IO.Compression;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.GitHub.Repositories;

/// <summary>
/// Unpacks a GitHub tarball (gzip, one top-level folder) into a workspace, streaming from disk.
/// Nothing may land outside the target, by construction: every entry is written through a
/// <see cref="ConfinedDirectory"/> that refuses every symbolic link on the way, so an entry that would
/// pass through a link made by an earlier one (the <c>x/y -> ..</c> chain, an absolute target) is
/// refused however its name is spelled. Symbolic links are kept as links with their targets as given —
/// a target that leaves the tree stays a link in the snapshot and the patch, never followed. Entries
/// with absolute paths or <c>..</c> and hard links to anything outside are refused; devices and FIFOs
/// are skipped; total bytes, entry count and single-file size are capped, counted on the bytes
/// actually unpacked.
/// </summary>
internal sealed class TarballExtractor(GitHubOptions limits)
{
    /// <summary>Unpacks into <paramref name="target"/>, which must be new or empty (a fresh workspace).</summary>
    public Task ExtractAsync(Stream gzip, string target, CancellationToken cancellationToken) =>
        // Unpacking is disk and CPU work; synchronous reads and writes are much faster here than async ones.
        Task.Run(() => Extract(gzip, target, cancellationToken), cancellationToken);

    private const int BufferedFileBytes = 1 << 20;
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private int _pending;
    private RunFailedException? _writeFailure;

    private void Extract(Stream gzip, string target, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        Directory.CreateDirectory(root);
        if (Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new InvalidOperationException($"{root} is not empty.");
        }

        var tree = new ConfinedDirectory(root, LinkPolicy.Refuse);

        // Small files are written by two writers while the next entries are decompressed, the way
        // `gzip | tar` overlaps; the queue is bounded, so memory stays small.
        using var writes = new System.Collections.Concurrent.BlockingCollection<(string Relative, string Name, byte[] Data, int Length)>(boundedCapacity: 64);
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            foreach (var (relative, name, data, length) in writes.GetConsumingEnumerable())
            {
                try
                {
                    tree.WriteFile(relative, data.AsSpan(0, length));
                }
                catch (ConfinedPathException e)
                {
                    Interlocked.CompareExchange(ref _writeFailure, Unwritable(name, e), null);
                }

                System.Buffers.ArrayPool<byte>.Shared.Return(data);
                Interlocked.Decrement(ref _pending);
            }
        })).ToArray();
        try
        {
            Unpack(gzip, tree, writes, cancellationToken);
        }
        finally
        {
            writes.CompleteAdding();
            Task.WaitAll(writers, CancellationToken.None);
        }

        if (_writeFailure is { } failure)
        {
            throw failure;
        }
    }

    private void Unpack(Stream gzip, ConfinedDirectory tree, System.Collections.Concurrent.BlockingCollection<(string Relative, string Name, byte[] Data, int Length)> writes, CancellationToken cancellationToken)
    {
        using var decompressed = new GZipStream(gzip, CompressionMode.Decompress);
        using var reader = new TarReader(decompressed);
        long total = 0;
        var entries = 0;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_writeFailure is { } failure)
            {
                throw failure;
            }

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

            try
            {
                total += Write(entry, relative, tree, total, writes);
            }
            catch (ConfinedPathException e)
            {
                throw Unwritable(entry.Name, e);
            }

            if (total > limits.MaxArchiveBytes)
            {
                throw Refused($"it unpacks to more than {limits.MaxArchiveBytes:N0} bytes (CodyBatch:GitHub:MaxArchiveBytes)");
            }
        }
    }

    private long Write(TarEntry entry, string relative, ConfinedDirectory tree, long total, System.Collections.Concurrent.BlockingCollection<(string Relative, string Name, byte[] Data, int Length)> writes)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                tree.CreateDirectory(relative);
                return 0;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                if (entry.Length > limits.MaxArchiveFileBytes)
                {
                    throw Refused($"{relative} is {entry.Length:N0} bytes, over the largest file allowed ({limits.MaxArchiveFileBytes:N0} bytes, CodyBatch:GitHub:MaxArchiveFileBytes)");
                }

                var executable = (entry.Mode & UnixFileMode.UserExecute) != 0;
                if (relative.LastIndexOf('/') is var slash and > 0)
                {
                    tree.CreateDirectory(relative[..slash]);
                }

                if (entry.Length <= BufferedFileBytes && !executable)
                {
                    return Buffer(entry, relative, total, writes);
                }

                using (var output = tree.OpenWrite(relative, executable ? Executable : null))
                {
                    return Copy(entry.DataStream, entry.Name, output, total);
                }

            case TarEntryType.SymbolicLink:
                if (string.IsNullOrEmpty(entry.LinkName) || entry.LinkName.Contains('\0', StringComparison.Ordinal))
                {
                    throw Refused($"the symbolic link {relative} has no target");
                }

                // Kept as written, wherever it points: nothing here or later looks through it.
                tree.CreateSymbolicLink(relative, entry.LinkName, createDirectories: true);
                return 0;
            case TarEntryType.HardLink:
                var linked = Relative(entry.LinkName) ?? throw Refused($"the hard link {relative} points outside the repository ({entry.LinkName})");

                // The linked file may still be in the write queue; it is read from the archive's order only after the queue is empty.
                while (Volatile.Read(ref _pending) > 0)
                {
                    Thread.Sleep(1);
                }

                // A copy, not a link: the workspace must not share data with anything.
                FileStream source;
                try
                {
                    source = tree.OpenRead(linked);
                }
                catch (ConfinedPathException e)
                {
                    throw Refused($"the hard link {relative} points outside the repository or at no file in it ({entry.LinkName}: {e.Message})");
                }

                using (source)
                using (var output = tree.OpenWrite(relative, createDirectories: true))
                {
                    return Copy(source, entry.Name, output, total);
                }

            default:
                // Devices, FIFOs and the like have no place in a repository; they are skipped.
                return 0;
        }
    }

    private long Copy(Stream? input, string name, Stream output, long before)
    {
        if (input is null)
        {
            return 0;
        }

        var buffer = new byte[1 << 16];
        long written = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            written += read;
            if (written > limits.MaxArchiveFileBytes)
            {
                throw Refused($"{name} is over the largest file allowed ({limits.MaxArchiveFileBytes:N0} bytes, CodyBatch:GitHub:MaxArchiveFileBytes)");
            }

            if (before + written > limits.MaxArchiveBytes)
            {
                throw Refused($"it unpacks to more than {limits.MaxArchiveBytes:N0} bytes (CodyBatch:GitHub:MaxArchiveBytes)");
            }

            output.Write(buffer, 0, read);
        }

        return written;
    }

    private long Buffer(TarEntry entry, string relative, long before, System.Collections.Concurrent.BlockingCollection<(string Relative, string Name, byte[] Data, int Length)> writes)
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
        writes.Add((relative, entry.Name, data, read));
        return read;
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

    private static RunFailedException Unwritable(string name, ConfinedPathException e) => e.Refusal switch
    {
        ConfinedRefusal.Link when e.Link is { } link && name.EndsWith(link, StringComparison.Ordinal) && Relative(name) == link =>
            Refused($"the entry {name} would replace the symbolic link at the same path"),
        ConfinedRefusal.Link => Refused($"the entry {name} would be written through the symbolic link {e.Link}"),
        _ => Refused($"the entry {name} cannot be written ({e.Message})"),
    };

    private static RunFailedException Refused(string why) => new($"The repository snapshot was refused: {why}. Nothing was written outside the workspace.");
}
