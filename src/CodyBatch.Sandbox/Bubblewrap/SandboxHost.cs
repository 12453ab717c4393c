using System.Globalization;
using CodyBatch.Core.Checks;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// What every sandbox launch on this machine shares, made once: a folder readable by the sandbox's
/// identity (root-owned, 0755) holding the seccomp program, a passwd and group file that name only
/// the sandbox's users, and the empty folder a tree is bound onto in a launch's private mount
/// namespace — so bwrap, already unprivileged, reaches the tree whatever the permissions of the data
/// folder above it.
/// </summary>
internal sealed class SandboxHost
{
    /// <summary>The user and group ids inside the sandbox (bwrap maps them onto the host identity).</summary>
    public const int InsideId = 1000;

    private const string Prefix = "codybatch-sandbox-host-";

    private SandboxHost(string root, bool dropsPrivileges, int userId, int groupId, Toolchains toolchains)
    {
        Toolchains = toolchains;
        Root = root;
        DropsPrivileges = dropsPrivileges;
        UserId = userId;
        GroupId = groupId;
    }

    /// <summary>The toolchain folders every launch shows read-only (see <see cref="Bubblewrap.Toolchains"/>).</summary>
    public Toolchains Toolchains { get; }

    /// <summary>The shared folder.</summary>
    public string Root { get; }

    /// <summary>True when Cody Batch runs as root: launches drop to <see cref="UserId"/>/<see cref="GroupId"/> before bwrap.</summary>
    public bool DropsPrivileges { get; }

    /// <summary>The host user id sandboxed processes have (the configured one as root, otherwise Cody Batch's own).</summary>
    public int UserId { get; }

    /// <summary>The host group id sandboxed processes have.</summary>
    public int GroupId { get; }

    /// <summary>The compiled seccomp program bwrap reads from an inherited descriptor.</summary>
    public string SeccompFile => Path.Combine(Root, "seccomp.bpf");

    /// <summary>The passwd file shown as /etc/passwd.</summary>
    public string PasswdFile => Path.Combine(Root, "passwd");

    /// <summary>The group file shown as /etc/group.</summary>
    public string GroupFile => Path.Combine(Root, "group");

    /// <summary>The empty folder a launch binds its tree onto (in its own mount namespace) before dropping privileges.</summary>
    public string TreeMountPoint => Path.Combine(Root, "tree");

    /// <summary>The empty folder a launch binds the run's home onto, like <see cref="TreeMountPoint"/>.</summary>
    public string HomeMountPoint => Path.Combine(Root, "home");

    /// <summary>The empty folder a launch binds the egress proxy's socket folder onto, like <see cref="TreeMountPoint"/>.</summary>
    public string EgressMountPoint => Path.Combine(Root, "egress");

    /// <summary>The empty folder a launch binds the run's read-only git view onto, like <see cref="TreeMountPoint"/>.</summary>
    public string GitViewMountPoint => Path.Combine(Root, "gitview");

    /// <summary>Where tree filesystems are prepared before they are mounted in place.</summary>
    public string Staging => Path.Combine(Root, "staging");

    /// <summary>Creates the folder under the temporary folder.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static SandboxHost Create(CheckOptions options)
    {
        var privileged = Environment.IsPrivilegedProcess;
        RemoveOrphans();
        var root = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;
        var host = new SandboxHost(
            root,
            privileged,
            privileged ? options.SandboxUserId : OwnId("Uid:"),
            privileged ? options.SandboxGroupId : OwnId("Gid:"),
            Toolchains.Resolve(options));
        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode Traversable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(root, Traversable);
        foreach (var mountPoint in new[] { host.TreeMountPoint, host.HomeMountPoint, host.EgressMountPoint, host.GitViewMountPoint }
            .Concat(host.Toolchains.Roots.Select((_, i) => Toolchains.MountPoint(root, i))))
        {
            Directory.CreateDirectory(mountPoint);
            File.SetUnixFileMode(mountPoint, Traversable);
        }
        Directory.CreateDirectory(host.Staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllBytes(host.SeccompFile, SeccompFilter.Build());
        var id = InsideId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(host.PasswdFile, $"root:x:0:0:root:/root:/bin/sh\ncheck:x:{id}:{id}:Cody Batch check:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(host.GroupFile, $"root:x:0:\ncheck:x:{id}:\nnogroup:x:65534:\n");
        foreach (var file in new[] { host.SeccompFile, host.PasswdFile, host.GroupFile })
        {
            File.SetUnixFileMode(file, Readable);
        }

        return host;
    }

    // Folders of Cody Batch processes that have ended: "codybatch-sandbox-host-PID-random".
    private static void RemoveOrphans()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), $"{Prefix}*"))
        {
            var pid = Path.GetFileName(folder)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, CultureInfo.InvariantCulture, out var id) && !Directory.Exists($"/proc/{id}"))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another process is removing it, or it is not ours; either way it is not needed here.
                }
            }
        }
    }

    // The effective id from /proc/self/status ("Uid:	real	effective	saved	filesystem").
    private static int OwnId(string field) =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal)).Split('\t')[2], CultureInfo.InvariantCulture);
}
