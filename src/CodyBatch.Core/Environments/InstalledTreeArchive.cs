using System.Formats.Tar;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Core.Environments;

/// <summary>
/// An <see cref="InstalledTree"/> in the local store as one uncompressed tar file: tens of thousands of small files are
/// written to the data directory's disk as one sequential file (far cheaper than as many files), and read back into a
/// run's tree. Folders, regular files and symbolic links (as links: npm's <c>.bin</c>) only; writing never follows a link
/// and never opens anything but a regular file, and reading writes through a confined walk that refuses every link on
/// the way, so an entry can only land inside the target.
/// </summary>
internal static class InstalledTreeArchive
{
    /// <summary>The file's name in a stored key's folder.</summary>
    public const string FileName = "content.tar";

    /// <summary>Writes <paramref name="source"/> into a new <paramref name="archive"/>; false (and a partial file) past <paramref name="maxBytes"/> of file content.</summary>
    public static bool Write(string source, string archive, long maxBytes, CancellationToken cancellationToken)
    {
        using var file = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var tar = new TarWriter(file, TarEntryFormat.Pax);
        long total = 0;
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            var relative = pending.Pop();
            foreach (var entry in new DirectoryInfo(relative.Length == 0 ? source : Path.Join(source, relative)).EnumerateFileSystemInfos())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = relative.Length == 0 ? entry.Name : $"{relative}/{entry.Name}";
                if (entry.LinkTarget is { } target)
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
                }
                else if (entry is DirectoryInfo)
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });
                    pending.Push(name);
                }
                else
                {
                    // Opened without following a link and without blocking: a FIFO or device is never waited on or read.
                    using var handle = LibC.Open(entry.FullName, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOCTTY, 0);
                    if (handle.IsInvalid || LibC.Stat(handle, "") is not { Type: LibC.S_IFREG } stat)
                    {
                        continue;
                    }

                    total += stat.Size;
                    if (total > maxBytes)
                    {
                        return false;
                    }

                    using var input = new FileStream(handle, FileAccess.Read);
                    var mode = (UnixFileMode)(stat.Mode & 0b111_101_101) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = input });
                }
            }
        }

        return true;
    }

    /// <summary>Makes <paramref name="target"/> (which must not exist) from <paramref name="archive"/>.</summary>
    public static void Extract(string archive, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        var tree = new ConfinedDirectory(target, LinkPolicy.Refuse);
        using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var tar = new TarReader(file);
        while (tar.GetNextEntry() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    tree.CreateDirectory(entry.Name);
                    break;
                case TarEntryType.RegularFile:
                    using (var output = tree.OpenWrite(entry.Name, entry.Mode))
                    {
                        entry.DataStream?.CopyTo(output);
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    tree.CreateSymbolicLink(entry.Name, entry.LinkName);
                    break;
                default:
                    throw new IOException($"The stored tree holds an entry of type {entry.EntryType}, which Cody Batch never writes.");
            }
        }
    }
}
