using System.Diagnostics;
using System.Globalization;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Workspaces;
using CodyBatch.Core.Workspaces.Confined;
using CodyBatch.LocalGit;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// Makes a tree ready for sandboxed code. As root: the first time, the tree moves onto a tmpfs of
/// <c>DiskLimitMb</c> (and a matching number of inodes), mounted where it was, so every write from
/// inside is bounded by the kernel (ENOSPC) and the data folder's disk is never touched; before each
/// session, everything in it is handed to the sandbox's identity (links themselves, never followed) so
/// that identity can write it. The workspace detaches the tmpfs before it deletes itself; a tmpfs left
/// by a Cody Batch process that is gone is detached at the next start.
/// </summary>
internal sealed class TreeStorage(CheckOptions options, SandboxHost host)
{
    /// <summary>The tmpfs's source name, followed by the mounting process's id.</summary>
    public const string SourcePrefix = "codybatch-checks-";

    /// <summary>The limit's sentence for a result.</summary>
    public string LimitReason => $"stopped at the disk limit of {options.DiskLimitMb} MiB (CodyBatch:Checks:DiskLimitMb)";

    /// <summary>Whether writes to trees are bounded here.</summary>
    public bool Bounded => host.DropsPrivileges && options.DiskLimitMb > 0;

    /// <summary>Detaches tree filesystems whose Cody Batch process has ended (they would hold memory until the next reboot).</summary>
    public static void DetachOrphans()
    {
        foreach (var mount in MountedFolders.All().Where(m => m.Type == "tmpfs" && m.Source.StartsWith(SourcePrefix, StringComparison.Ordinal)))
        {
            if (int.TryParse(mount.Source.AsSpan(SourcePrefix.Length), CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                MountedFolders.Detach(mount.MountPoint);
            }
        }
    }

    /// <summary>
    /// Mounts the tree's tmpfs when it has none yet, runs <paramref name="fill"/> (what Cody Batch itself puts into the
    /// tree before sandboxed code sees it, written straight onto the tmpfs), then gives the tree to the sandbox's identity.
    /// </summary>
    public async Task PrepareAsync(string treePath, CancellationToken cancellationToken, Func<Task>? fill = null)
    {
        if (!host.DropsPrivileges)
        {
            if (fill is not null)
            {
                await fill();
            }

            return;
        }

        var tree = Path.GetFullPath(treePath).TrimEnd('/');
        if (Bounded && !MountedFolders.All().Any(m => m.MountPoint == tree && m.Source.StartsWith(SourcePrefix, StringComparison.Ordinal)))
        {
            await MountAsync(tree, cancellationToken);
        }

        if (fill is not null)
        {
            await fill();
        }

        await GrantAsync(tree, cancellationToken);
    }

    /// <summary>Gives everything in the tree to the sandbox's identity (links themselves, never what they point at).</summary>
    public async Task GrantAsync(string tree, CancellationToken cancellationToken)
    {
        if (!host.DropsPrivileges)
        {
            return;
        }

        var (exit, error) = await RunAsync("chown", ["-R", "-h", "-P", $"{host.UserId}:{host.GroupId}", "--", tree], cancellationToken);
        if (exit != 0)
        {
            throw new CheckSandboxUnavailableException($"Checks were not run: the tree could not be given to the sandbox's user {host.UserId} ({FirstLine(error)}).");
        }
    }

    /// <summary>
    /// Gives the run's home to the sandbox's identity like <see cref="GrantAsync"/>, in this process, but leaves a regular
    /// file with more than one name as it is: a dependency cache's file restored as a hard link of the store's copy stays
    /// root's and read-only to the sandbox (see <see cref="OwnershipTransfer"/>).
    /// </summary>
    public void GrantHome(string home)
    {
        if (!host.DropsPrivileges)
        {
            return;
        }

        try
        {
            OwnershipTransfer.Give(Path.GetFullPath(home).TrimEnd('/'), host.UserId, host.GroupId);
        }
        catch (IOException e)
        {
            throw new CheckSandboxUnavailableException($"Checks were not run: the run's home could not be given to the sandbox's user {host.UserId} ({e.Message}).");
        }
    }

    /// <summary>True when a bounded tree has (almost) no room left: whatever wrote there was stopped by the limit.</summary>
    public bool IsFull(string treePath)
    {
        if (!Bounded)
        {
            return false;
        }

        try
        {
            return new DriveInfo(treePath).AvailableFreeSpace < 1024 * 1024;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task MountAsync(string tree, CancellationToken cancellationToken)
    {
        var disk = $"{tree}.disk-{Guid.NewGuid():N}";
        Directory.Move(tree, disk);
        Directory.CreateDirectory(tree);
        var megabytes = options.DiskLimitMb.ToString(CultureInfo.InvariantCulture);
        var inodes = (options.DiskLimitMb * 128L).ToString(CultureInfo.InvariantCulture);
        var mountOptions = $"size={megabytes}m,nr_inodes={inodes},mode=0755,uid={host.UserId},gid={host.GroupId},nosuid,nodev";
        var (exit, error) = await RunAsync("mount", ["-t", "tmpfs", "-o", mountOptions, $"{SourcePrefix}{Environment.ProcessId}", tree], cancellationToken);
        if (exit != 0)
        {
            Directory.Delete(tree);
            Directory.Move(disk, tree);
            throw new CheckSandboxUnavailableException(
                $"Checks were not run: the checks' tree could not be put on a tmpfs of {megabytes} MiB ({FirstLine(error)}); run Cody Batch as root, or set CodyBatch:Checks:DiskLimitMb to 0 to leave writes unbounded.");
        }

        (exit, error) = await RunAsync("cp", ["-a", "--", Path.Combine(disk, "."), tree], cancellationToken);
        if (exit != 0)
        {
            MountedFolders.Detach(tree);
            Directory.Delete(tree, recursive: true);
            Directory.Move(disk, tree);
            throw new CheckSandboxUnavailableException(error.Contains("No space left", StringComparison.Ordinal)
                ? $"Checks were not run: the repository does not fit in the checks' disk limit of {megabytes} MiB (CodyBatch:Checks:DiskLimitMb); raise it."
                : $"Checks were not run: the tree could not be copied onto its tmpfs ({FirstLine(error)}).");
        }

        Directory.Delete(disk, recursive: true);
    }

    private static async Task<(int Exit, string Error)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new IOException($"{file} could not be started.");
        RunWorkPriority.Lower(process);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await output;
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, error);
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0];
}
