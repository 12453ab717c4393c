using System.Formats.Tar;
using System.IO.Compression;

namespace CodyBatch.Aws.Caches;

/// <summary>
/// A cache folder as a gzip-compressed tar of its folders and regular files. Links and special files are neither
/// written nor restored, and every restored path stays under the target folder: a cache was filled by a repository's
/// setup, so its content is as untrusted as the repository.
/// </summary>
internal static class CacheArchive
{
    /// <summary>Writes <paramref name="source"/> to <paramref name="destination"/>; <see cref="ArchiveTooLargeException"/> past <paramref name="maxBytes"/>.</summary>
    public static async Task WriteAsync(string source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        var limited = new LimitedStream(destination, maxBytes);
        await using var gzip = new GZipStream(limited, CompressionLevel.Fastest, leaveOpen: true);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
        var root = new DirectoryInfo(source);
        foreach (var entry in root.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.LinkTarget is not null || IsUnderLink(root, entry))
            {
                continue;
            }

            var name = Path.GetRelativePath(root.FullName, entry.FullName).Replace('\\', '/');
            if (entry is DirectoryInfo)
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name + "/"), cancellationToken);
            }
            else if (entry is FileInfo file && (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0)
            {
                await using var content = file.OpenRead();
                var mode = file.UnixFileMode & Permissions;
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = content, Mode = mode }, cancellationToken);
            }
        }
    }

    /// <summary>Extracts an archive into <paramref name="target"/>, keeping only folders and regular files beneath it.</summary>
    public static async Task ExtractAsync(Stream archive, string target, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(target);
        Directory.CreateDirectory(root);
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.Directory or TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(root, entry.Name));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(entry.Name))
            {
                throw new InvalidDataException($"The cache archive holds a path outside its folder: {entry.Name}");
            }

            if (entry.EntryType == TarEntryType.Directory)
            {
                CreateBeneath(root, path);
                continue;
            }

            CreateBeneath(root, Path.GetDirectoryName(path)!);

            // CreateNew: a name seen twice, or a link planted in between, is an error rather than a write through it.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = (entry.Mode & Permissions) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var output = new FileStream(path, create);
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(output, cancellationToken);
            }
        }
    }

    private const UnixFileMode Permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    // Creates the folders of a path one by one, refusing any that exists as a link.
    private static void CreateBeneath(string root, string folder)
    {
        var current = root;
        foreach (var part in Path.GetRelativePath(root, folder).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null || File.Exists(current))
            {
                throw new InvalidDataException($"The cache archive would write through {Path.GetRelativePath(root, current)}, which is not a folder.");
            }

            info.Create();
        }
    }

    private static bool IsUnderLink(DirectoryInfo root, FileSystemInfo entry)
    {
        for (var parent = Directory.GetParent(entry.FullName); parent is not null && parent.FullName.Length > root.FullName.Length; parent = parent.Parent)
        {
            if (parent.LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class LimitedStream(Stream inner, long maxBytes) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Count(buffer.Length);
            inner.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count(buffer.Length);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Count(int bytes)
        {
            _written += bytes;
            if (_written > maxBytes)
            {
                throw new ArchiveTooLargeException(maxBytes);
            }
        }
    }
}
