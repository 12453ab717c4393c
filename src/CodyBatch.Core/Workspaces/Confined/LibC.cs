using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>
/// The few Linux system calls the confined file access needs: the <c>*at</c> family, which works
/// relative to a directory handle, so no path is ever looked up again from the top.
/// </summary>
internal static unsafe partial class LibC
{
    public const int ENOENT = 2;
    public const int ENXIO = 6;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;

    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_EMPTY_PATH = 0x1000;
    public const uint RENAME_NOREPLACE = 1;

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_CREAT = 0x40;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;

    // These two differ between architectures (asm-generic on arm64, x86's own values elsewhere).
    public static readonly int O_DIRECTORY = IsArm ? 0x4000 : 0x10000;
    public static readonly int O_NOFOLLOW = IsArm ? 0x8000 : 0x20000;

    public const uint S_IFMT = 0xF000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;

    public const byte DT_UNKNOWN = 0;
    public const byte DT_DIR = 4;
    public const byte DT_REG = 8;
    public const byte DT_LNK = 10;

    private const uint STATX_BASIC_STATS = 0x7ff;

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial SafeFileHandle Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial SafeFileHandle OpenAt(SafeFileHandle directory, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirAt(SafeFileHandle directory, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SymlinkAt(string target, SafeFileHandle directory, string path);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(SafeFileHandle directory, string path, int flags);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt2(SafeFileHandle fromDirectory, string from, SafeFileHandle toDirectory, string to, uint flags);

    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FchownAt(SafeFileHandle directory, string path, int userId, int groupId, int flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string path);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ReadLinkAt(SafeFileHandle directory, string path, byte* buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(SafeFileHandle directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint GetDents64(SafeFileHandle directory, byte* buffer, nuint size);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>The type bits and size of <paramref name="path"/> in <paramref name="directory"/> (the handle itself when empty), links not followed; null with errno set on failure.</summary>
    public static (uint Type, uint Mode, long Size, DateTime Modified)? Stat(SafeFileHandle directory, string path)
    {
        var buffer = stackalloc byte[256];
        if (Statx(directory, path, AT_SYMLINK_NOFOLLOW | (path.Length == 0 ? AT_EMPTY_PATH : 0), STATX_BASIC_STATS, buffer) != 0)
        {
            return null;
        }

        // struct statx: stx_mode (u16) at 28, stx_size (u64) at 40, stx_mtime (s64 sec, u32 nsec) at 112.
        var mode = (uint)*(ushort*)(buffer + 28);
        var size = *(long*)(buffer + 40);
        var modified = DateTime.UnixEpoch.AddSeconds(*(long*)(buffer + 112)).AddTicks(*(uint*)(buffer + 120) / 100);
        return (mode & S_IFMT, mode & 0xFFF, size, modified);
    }

    /// <summary>The type bits, owner and link count of <paramref name="path"/> in <paramref name="directory"/> (the handle itself when empty), links not followed; null with errno set on failure.</summary>
    public static (uint Type, uint UserId, uint Links)? Owner(SafeFileHandle directory, string path)
    {
        var buffer = stackalloc byte[256];
        if (Statx(directory, path, AT_SYMLINK_NOFOLLOW | (path.Length == 0 ? AT_EMPTY_PATH : 0), STATX_BASIC_STATS, buffer) != 0)
        {
            return null;
        }

        // struct statx: stx_nlink (u32) at 16, stx_uid (u32) at 20, stx_mode (u16) at 28.
        return (*(ushort*)(buffer + 28) & S_IFMT, *(uint*)(buffer + 20), *(uint*)(buffer + 16));
    }

    /// <summary>The target of the link <paramref name="path"/>; null with errno set on failure.</summary>
    public static string? ReadLink(SafeFileHandle directory, string path)
    {
        var buffer = new byte[4097];
        fixed (byte* start = buffer)
        {
            var length = ReadLinkAt(directory, path, start, (nuint)buffer.Length);
            return length < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)Math.Min(length, buffer.Length - 1));
        }
    }

    /// <summary>The names and <c>d_type</c>s in an open directory (not <c>.</c> and <c>..</c>); throws on failure.</summary>
    public static List<(string Name, byte Type)> ReadDirectory(SafeFileHandle directory)
    {
        var entries = new List<(string, byte)>();

        // Pooled: a new buffer for every folder a run walks was one of the server's largest allocations.
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            return ReadEntries(directory, buffer, entries);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static List<(string Name, byte Type)> ReadEntries(SafeFileHandle directory, byte[] buffer, List<(string, byte)> entries)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var read = GetDents64(directory, start, (nuint)buffer.Length);
                if (read < 0)
                {
                    throw new IOException($"The directory could not be read (errno {Errno}).");
                }

                if (read == 0)
                {
                    return entries;
                }

                // struct linux_dirent64: d_ino (u64), d_off (s64), d_reclen (u16), d_type (u8), d_name (NUL-terminated).
                for (nint offset = 0; offset < read;)
                {
                    var record = start + offset;
                    var length = *(ushort*)(record + 16);
                    var type = record[18];
                    var name = Marshal.PtrToStringUTF8((nint)(record + 19))!;
                    if (name is not ("." or ".."))
                    {
                        entries.Add((name, type));
                    }

                    offset += length;
                }
            }
        }
    }
}
