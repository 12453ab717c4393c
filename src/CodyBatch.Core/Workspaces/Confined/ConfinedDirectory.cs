using Microsoft.Win32.SafeHandles;

namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>
/// File access beneath one directory that cannot leave it: every path is walked from a handle on the
/// root, one component at a time, each opened beneath the last with <c>O_NOFOLLOW</c>; symbolic links
/// are refused or followed only inside (<see cref="LinkPolicy"/>); what happens at the end (read,
/// write, create, delete, move) is done relative to the handle of the directory that holds it, so a
/// link swapped in after a check cannot redirect it. Devices, FIFOs and sockets are never opened for
/// reading or writing, and reads are bounded by the bytes actually read. Linux only.
/// </summary>
/// <param name="path">The root; trusted (the host made it).</param>
/// <param name="links">What to do with links on the way.</param>
/// <param name="displayRoot">How the root is named in messages (<c>/repo</c> to Claude); paths beneath it are appended.</param>
public sealed class ConfinedDirectory(string path, LinkPolicy links, string displayRoot = ".")
{
    private const uint FileCreateMode = 0x1B6; // 0666, less the umask
    private const uint DirectoryCreateMode = 0x1FF; // 0777, less the umask

    /// <summary>The root.</summary>
    public string Path { get; } = OperatingSystem.IsLinux()
        ? System.IO.Path.GetFullPath(path)
        : throw new PlatformNotSupportedException("Cody Batch's confined file access needs Linux (its *at system calls).");

    /// <summary>What is done with links on the way.</summary>
    public LinkPolicy Links => links;

    /// <summary>How <paramref name="relative"/> is named in messages.</summary>
    public string Display(string relative)
    {
        var trimmed = relative.Trim('/');
        return trimmed.Length == 0 ? displayRoot : $"{displayRoot}/{trimmed}";
    }

    /// <summary>What is at <paramref name="relative"/> (the link itself when <paramref name="followLast"/> is false); null when nothing is.</summary>
    public ConfinedEntry? Stat(string relative, bool followLast = true)
    {
        try
        {
            using var walk = ConfinedWalk.Walk(this, relative, followLast, createDirectories: false);
            var stat = walk.Name.Length == 0 || !followLast ? LibC.Stat(walk.Directory, walk.Name) : walk.Stat;
            return stat is { } s ? Entry(walk.Name, s) : null;
        }
        catch (ConfinedPathException e) when (e.Refusal is ConfinedRefusal.NotFound or ConfinedRefusal.NotDirectory)
        {
            return null;
        }
    }

    /// <summary>Opens the regular file at <paramref name="relative"/> for reading; refuses directories, special files and missing files.</summary>
    public FileStream OpenRead(string relative)
    {
        using var walk = ConfinedWalk.Walk(this, relative, followLast: links == LinkPolicy.FollowInside, createDirectories: false);
        var stat = walk.Stat ?? (walk.Name.Length == 0 ? LibC.Stat(walk.Directory, "") : LibC.Stat(walk.Directory, walk.Name));
        if (stat is null)
        {
            throw new ConfinedPathException(ConfinedRefusal.NotFound, $"{Display(relative)} does not exist.");
        }

        Expect(relative, stat.Value.Type, LibC.S_IFREG);
        var handle = LibC.OpenAt(walk.Directory, walk.Name, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC, 0);
        return Opened(relative, handle, FileAccess.Read);
    }

    /// <summary>
    /// The content of the file at <paramref name="relative"/>, or null when it holds more than
    /// <paramref name="maxBytes"/> (counted as read, whatever its size claims).
    /// </summary>
    public byte[]? ReadFile(string relative, long maxBytes)
    {
        using var stream = OpenRead(relative);
        using var content = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes + 1 - content.Length))) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > maxBytes)
            {
                return null;
            }
        }

        return content.ToArray();
    }

    /// <summary>
    /// Opens the regular file at <paramref name="relative"/> for writing, empty (created when missing, with
    /// <paramref name="mode"/> when given); the folders on the way are made when <paramref name="createDirectories"/>.
    /// </summary>
    public FileStream OpenWrite(string relative, UnixFileMode? mode = null, bool createDirectories = false)
    {
        using var walk = ConfinedWalk.Walk(this, relative, followLast: links == LinkPolicy.FollowInside, createDirectories);
        if (walk.Name.Length == 0)
        {
            throw new ConfinedPathException(ConfinedRefusal.Directory, $"{Display(relative)} is a directory.");
        }

        if (walk.Stat is { } stat)
        {
            Expect(relative, stat.Type, LibC.S_IFREG);
        }

        var handle = LibC.OpenAt(walk.Directory, walk.Name, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC, FileCreateMode);
        var stream = Opened(relative, handle, FileAccess.Write);
        stream.SetLength(0);
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stream.SafeFileHandle, m);
        }

        return stream;
    }

    /// <summary>Writes <paramref name="content"/> as the whole of the file at <paramref name="relative"/> (see <see cref="OpenWrite"/>).</summary>
    public void WriteFile(string relative, ReadOnlySpan<byte> content, UnixFileMode? mode = null, bool createDirectories = false)
    {
        using var stream = OpenWrite(relative, mode, createDirectories);
        stream.Write(content);
    }

    /// <summary>Makes the directory at <paramref name="relative"/> and any missing on the way; an existing directory is fine.</summary>
    public void CreateDirectory(string relative)
    {
        using var walk = ConfinedWalk.Walk(this, relative, followLast: links == LinkPolicy.FollowInside, createDirectories: true);
        if (walk.Name.Length == 0 || walk.Stat?.Type == LibC.S_IFDIR)
        {
            return;
        }

        if (LibC.MkdirAt(walk.Directory, walk.Name, DirectoryCreateMode) != 0)
        {
            var errno = LibC.Errno;
            var existing = errno == LibC.EEXIST ? LibC.Stat(walk.Directory, walk.Name)?.Type : null;
            if (existing != LibC.S_IFDIR)
            {
                throw existing switch
                {
                    null => new IOException($"{Display(relative)} cannot be created (errno {errno})."),
                    LibC.S_IFLNK => new ConfinedPathException(ConfinedRefusal.Link, $"{Display(relative)} is a symbolic link; links are not followed here.", relative.Trim('/')),
                    _ => new ConfinedPathException(ConfinedRefusal.NotDirectory, $"{Display(relative)} exists and is not a directory."),
                };
            }
        }
    }

    /// <summary>Makes a symbolic link at <paramref name="relative"/> to <paramref name="target"/>, kept as text and never followed here.</summary>
    public void CreateSymbolicLink(string relative, string target, bool createDirectories = false)
    {
        using var walk = ConfinedWalk.Walk(this, relative, followLast: false, createDirectories);
        if (walk.Name.Length == 0 || LibC.SymlinkAt(target, walk.Directory, walk.Name) != 0)
        {
            throw walk.Name.Length == 0 || LibC.Errno == LibC.EEXIST
                ? new ConfinedPathException(ConfinedRefusal.Exists, $"{Display(relative)} already exists.")
                : new IOException($"The link {Display(relative)} cannot be created (errno {LibC.Errno}).");
        }
    }

    /// <summary>The target of the link at <paramref name="relative"/>.</summary>
    public string ReadLink(string relative)
    {
        using var walk = ConfinedWalk.Walk(this, relative, followLast: false, createDirectories: false);
        return LibC.ReadLink(walk.Directory, walk.Name)
            ?? throw new ConfinedPathException(ConfinedRefusal.NotFound, $"{Display(relative)} is not a symbolic link.");
    }

    /// <summary>The entries of the directory at <paramref name="relative"/>, sorted by name; links are listed, not followed.</summary>
    public IReadOnlyList<ConfinedEntry> List(string relative)
    {
        using var walk = ConfinedWalk.Walk(this, relative, followLast: links == LinkPolicy.FollowInside, createDirectories: false);
        if (walk.Missing)
        {
            throw new ConfinedPathException(ConfinedRefusal.NotFound, $"{Display(relative)} does not exist.");
        }

        using var directory = OpenDirectory(walk.Directory, walk.Name, relative);
        var entries = new List<ConfinedEntry>();
        foreach (var (name, _) in LibC.ReadDirectory(directory))
        {
            if (LibC.Stat(directory, name) is { } stat)
            {
                entries.Add(Entry(name, stat));
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>
    /// Deletes the file, link (not what it points to) or directory (with everything in it, links removed
    /// and never entered) at <paramref name="relative"/>; answers how many files and links went.
    /// </summary>
    public int Delete(string relative)
    {
        using var walk = ConfinedWalk.Walk(this, relative, followLast: false, createDirectories: false);
        if (walk.Name.Length == 0)
        {
            throw new ConfinedPathException(ConfinedRefusal.Root, $"{Display(relative)} is the root or a directory above the path's end; it cannot be deleted.");
        }

        var stat = LibC.Stat(walk.Directory, walk.Name)
            ?? throw new ConfinedPathException(ConfinedRefusal.NotFound, $"{Display(relative)} does not exist.");
        if (stat.Type != LibC.S_IFDIR)
        {
            Unlink(walk.Directory, walk.Name, 0, relative);
            return 1;
        }

        int count;
        using (var directory = OpenDirectory(walk.Directory, walk.Name, relative))
        {
            count = DeleteContents(directory, relative);
        }

        Unlink(walk.Directory, walk.Name, LibC.AT_REMOVEDIR, relative);
        return count;
    }

    /// <summary>
    /// Moves the entry at <paramref name="from"/> (a link moves as a link) to <paramref name="to"/>, which
    /// must not exist; the folders on the way to <paramref name="to"/> are made.
    /// </summary>
    public ConfinedEntryKind Move(string from, string to)
    {
        using var source = ConfinedWalk.Walk(this, from, followLast: false, createDirectories: false);
        using var target = ConfinedWalk.Walk(this, to, followLast: false, createDirectories: true);
        if (source.Name.Length == 0 || target.Name.Length == 0)
        {
            throw new ConfinedPathException(ConfinedRefusal.Root, $"{Display(source.Name.Length == 0 ? from : to)} is the root or a directory above the path's end; it cannot be moved or replaced.");
        }

        var stat = LibC.Stat(source.Directory, source.Name)
            ?? throw new ConfinedPathException(ConfinedRefusal.NotFound, $"{Display(from)} does not exist.");
        if (LibC.RenameAt2(source.Directory, source.Name, target.Directory, target.Name, LibC.RENAME_NOREPLACE) != 0)
        {
            throw LibC.Errno switch
            {
                LibC.EEXIST or LibC.ENOTEMPTY => new ConfinedPathException(ConfinedRefusal.Exists, $"{Display(to)} already exists."),
                LibC.EINVAL when stat.Type == LibC.S_IFDIR => new ConfinedPathException(ConfinedRefusal.IntoItself, $"{Display(from)} cannot be moved into itself ({Display(to)})."),
                LibC.ENOENT => new ConfinedPathException(ConfinedRefusal.Changed, $"{Display(from)} changed while it was being moved; nothing was done."),
                var errno => new IOException($"{Display(from)} cannot be moved to {Display(to)} (errno {errno})."),
            };
        }

        return Entry(source.Name, stat).Kind;
    }

    private int DeleteContents(SafeFileHandle directory, string relative)
    {
        var count = 0;
        foreach (var (name, type) in LibC.ReadDirectory(directory))
        {
            if (type == LibC.DT_DIR || (type == LibC.DT_UNKNOWN && LibC.Stat(directory, name)?.Type == LibC.S_IFDIR))
            {
                var child = LibC.OpenAt(directory, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
                if (child.IsInvalid)
                {
                    // Not a directory any more (a link put in its place): removed as what it is now.
                    child.Dispose();
                    Unlink(directory, name, 0, $"{relative}/{name}");
                    count++;
                    continue;
                }

                using (child)
                {
                    count += DeleteContents(child, $"{relative}/{name}");
                }

                Unlink(directory, name, LibC.AT_REMOVEDIR, $"{relative}/{name}");
            }
            else
            {
                Unlink(directory, name, 0, $"{relative}/{name}");
                count++;
            }
        }

        return count;
    }

    private void Unlink(SafeFileHandle directory, string name, int flags, string relative)
    {
        if (LibC.UnlinkAt(directory, name, flags) != 0 && LibC.Errno != LibC.ENOENT)
        {
            throw new IOException($"{Display(relative)} cannot be deleted (errno {LibC.Errno}).");
        }
    }

    private SafeFileHandle OpenDirectory(SafeFileHandle parent, string name, string relative)
    {
        var handle = LibC.OpenAt(parent, name.Length == 0 ? "." : name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (handle.IsInvalid)
        {
            var errno = LibC.Errno;
            handle.Dispose();
            throw errno switch
            {
                LibC.ENOENT => new ConfinedPathException(ConfinedRefusal.NotFound, $"{Display(relative)} does not exist."),
                LibC.ENOTDIR or LibC.ELOOP when LibC.Stat(parent, name)?.Type == LibC.S_IFLNK =>
                    new ConfinedPathException(ConfinedRefusal.Link, $"{Display(relative)} is a symbolic link; links are not followed here.", relative.Trim('/')),
                LibC.ENOTDIR or LibC.ELOOP => new ConfinedPathException(ConfinedRefusal.NotDirectory, $"{Display(relative)} is not a directory."),
                _ => new IOException($"{Display(relative)} cannot be opened (errno {errno})."),
            };
        }

        return handle;
    }

    private FileStream Opened(string relative, SafeFileHandle handle, FileAccess access)
    {
        if (handle.IsInvalid)
        {
            var errno = LibC.Errno;
            handle.Dispose();
            throw errno switch
            {
                LibC.ENOENT => new ConfinedPathException(ConfinedRefusal.NotFound, $"{Display(relative)} does not exist."),
                LibC.ELOOP => new ConfinedPathException(ConfinedRefusal.Link, $"{Display(relative)} is a symbolic link; links are not followed here.", relative),
                LibC.EISDIR => new ConfinedPathException(ConfinedRefusal.Directory, $"{Display(relative)} is a directory."),
                LibC.ENXIO => new ConfinedPathException(ConfinedRefusal.Special, $"{Display(relative)} is a special file (a device, FIFO or socket); it is not read or written."),
                _ => new IOException($"{Display(relative)} cannot be opened (errno {errno})."),
            };
        }

        // What was opened is checked again on the handle: something swapped in since the walk looked is refused.
        var stat = LibC.Stat(handle, "");
        if (stat is not { Type: LibC.S_IFREG })
        {
            handle.Dispose();
            Expect(relative, stat?.Type ?? 0, LibC.S_IFREG);
            throw new ConfinedPathException(ConfinedRefusal.Changed, $"{Display(relative)} changed while it was being opened; nothing was done.");
        }

        return new FileStream(handle, access, bufferSize: 0);
    }

    private void Expect(string relative, uint type, uint expected)
    {
        if (type == expected)
        {
            return;
        }

        throw type switch
        {
            LibC.S_IFDIR => new ConfinedPathException(ConfinedRefusal.Directory, $"{Display(relative)} is a directory."),
            LibC.S_IFLNK => new ConfinedPathException(ConfinedRefusal.Link, $"{Display(relative)} is a symbolic link; links are not followed here.", relative),
            LibC.S_IFREG => new ConfinedPathException(ConfinedRefusal.Changed, $"{Display(relative)} changed while it was being opened; nothing was done."),
            _ => new ConfinedPathException(ConfinedRefusal.Special, $"{Display(relative)} is a special file (a device, FIFO or socket); it is not read or written."),
        };
    }

    private static ConfinedEntry Entry(string name, (uint Type, uint Mode, long Size, DateTime Modified) stat) => new(
        name,
        stat.Type switch
        {
            LibC.S_IFREG => ConfinedEntryKind.File,
            LibC.S_IFDIR => ConfinedEntryKind.Directory,
            LibC.S_IFLNK => ConfinedEntryKind.SymbolicLink,
            _ => ConfinedEntryKind.Special,
        },
        stat.Size,
        (UnixFileMode)stat.Mode,
        stat.Modified);
}
