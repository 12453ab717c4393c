using System.Runtime.InteropServices;
using System.Text;

namespace CodyBatch.Core.Workspaces;

/// <summary>
/// Filesystems mounted inside a run's folders (the check sandbox mounts a size-limited tmpfs as the
/// checks' tree when it runs as root). A folder is only removable once what is mounted in it is
/// detached, so a workspace detaches them before it deletes itself.
/// </summary>
public static partial class MountedFolders
{
    /// <summary>A mount of this process's mount namespace.</summary>
    /// <param name="MountPoint">Where it is mounted.</param>
    /// <param name="Type">The filesystem type (<c>tmpfs</c>, <c>ext4</c>, …).</param>
    /// <param name="Source">The mount's source (a device, or a tmpfs's name).</param>
    public sealed record Mount(string MountPoint, string Type, string Source);

    /// <summary>Every mount of this process's namespace (empty where there is no <c>/proc/self/mountinfo</c>).</summary>
    public static IReadOnlyList<Mount> All()
    {
        const string Table = "/proc/self/mountinfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(Table))
        {
            return [];
        }

        var mounts = new List<Mount>();
        foreach (var line in File.ReadLines(Table))
        {
            // "id parent major:minor root mount-point options [optional fields…] - type source super-options"
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length > 4 && separator > 0 && separator + 2 < fields.Length)
            {
                mounts.Add(new Mount(Unescape(fields[4]), fields[separator + 1], Unescape(fields[separator + 2])));
            }
        }

        return mounts;
    }

    /// <summary>The mounts at or below <paramref name="folder"/>, deepest first.</summary>
    public static IReadOnlyList<Mount> Under(string folder)
    {
        var root = Path.GetFullPath(folder).TrimEnd('/');
        return [.. All()
            .Where(m => m.MountPoint == root || m.MountPoint.StartsWith(root + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPoint.Length)];
    }

    /// <summary>Detaches (lazily, so a process still inside cannot hold it up) every mount at or below <paramref name="folder"/>.</summary>
    public static void DetachUnder(string folder)
    {
        foreach (var mount in Under(folder))
        {
            Detach(mount.MountPoint);
        }
    }

    /// <summary>Detaches the mount at <paramref name="mountPoint"/>; false when the kernel refused (not Linux, not allowed, not a mount).</summary>
    public static bool Detach(string mountPoint)
    {
        // umount2(2) with MNT_DETACH, as umount --lazy does, without starting a process.
        const int DetachLazily = 2;
        return OperatingSystem.IsLinux() && Unmount(mountPoint, DetachLazily) == 0;
    }

    // mountinfo writes space, tab, newline and backslash as three-digit octal escapes.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string field, int start) =>
        start + 3 <= field.Length && field.Substring(start, 3).All(c => c is >= '0' and <= '7');

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unmount(string target, int flags);
}
