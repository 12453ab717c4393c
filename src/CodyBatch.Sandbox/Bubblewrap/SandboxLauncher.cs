using System.Diagnostics;
using System.Globalization;
using CodyBatch.Core.Checks;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// Builds the process that becomes one sandboxed command, for checks and anything else that runs
/// repository code in a tree. A <c>/bin/sh</c> launcher joins the command's cgroups, opens the seccomp
/// program on descriptor 3 and, as root, (when a folder above the tree is closed to others) enters
/// a private mount namespace and binds the tree onto <see cref="SandboxHost.TreeMountPoint"/>, then drops to the sandbox identity with <c>setpriv</c> (ids,
/// no supplementary groups, no capabilities in any set, no new privileges), then becomes bwrap. So
/// bwrap and everything it starts are an ordinary unprivileged user of the host: owner-only files
/// stay closed even if a path to them were found. Nothing of Cody Batch's environment is passed on.
/// </summary>
internal sealed class SandboxLauncher(CheckOptions options, SandboxHost host, string bwrap)
{
    private const string Launch =
        """ulimit -c 0; while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec 3< "$1" || exit 125; shift; exec "$@" 2>&1""";

    private const string Bind = """while [ "$1" != "--" ]; do mount --bind "$1" "$2" || exit 125; shift 2; done; shift; exec "$@" """;

    /// <summary>Where bwrap finds the egress proxy's socket folder <paramref name="egressFolder"/> (its own mount point once privileges are dropped).</summary>
    public string EgressFolderSeen(string egressFolder) => host.DropsPrivileges ? host.EgressMountPoint : egressFolder;

    /// <summary>Where bwrap finds the run's git view <paramref name="gitView"/> (its own mount point once privileges are dropped).</summary>
    public string GitViewSeen(string gitView) => host.DropsPrivileges ? host.GitViewMountPoint : gitView;

    /// <summary>The shared pieces of every launch.</summary>
    public SandboxHost Host => host;

    /// <summary>
    /// The start info of <paramref name="command"/> (an argument vector run in <c>/repo</c>) with
    /// <paramref name="treePath"/> as <c>/repo</c>; the launcher first writes its pid into <paramref name="procsFiles"/>.
    /// Standard error is merged into standard output.
    /// </summary>
    /// <remarks>
    /// <paramref name="homePath"/> is the run's home shown as <c>/tmp</c>; <paramref name="egressFolder"/> the folder
    /// of the egress proxy's socket, shown to bwrap as <see cref="SandboxHost.EgressMountPoint"/> (see
    /// <see cref="EgressFolderSeen"/>); <paramref name="gitView"/> the run's git view, likewise (see <see cref="GitViewSeen"/>);
    /// <paramref name="extra"/> goes to bwrap before the command.
    /// </remarks>
    public ProcessStartInfo Create(
        string treePath, IReadOnlyList<string> procsFiles, IReadOnlyList<string> command, bool network,
        string? homePath = null, string? egressFolder = null, IReadOnlyList<string>? extra = null, string? gitView = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };

        // Nothing of this process's environment (secrets included) is passed on, not even to bwrap itself.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Launch);
        start.ArgumentList.Add("codybatch-sandbox");
        foreach (var procs in procsFiles)
        {
            start.ArgumentList.Add(procs);
        }

        start.ArgumentList.Add("--");
        start.ArgumentList.Add(host.SeccompFile);
        var source = treePath;
        var home = homePath;
        if (host.DropsPrivileges && (!OpenToOthers(treePath) || homePath is not null || egressFolder is not null || gitView is not null || host.Toolchains.Roots.Count > 0))
        {
            // The binds exist only in this launch's mount namespace; the folders above the tree (and the run's home) are closed to the sandbox's user.
            source = host.TreeMountPoint;
            var binds = new List<string> { treePath, source };
            if (homePath is not null)
            {
                home = host.HomeMountPoint;
                binds.AddRange([homePath, home]);
            }

            if (egressFolder is not null)
            {
                binds.AddRange([egressFolder, host.EgressMountPoint]);
            }

            if (gitView is not null)
            {
                binds.AddRange([gitView, host.GitViewMountPoint]);
            }

            // A toolchain in the service account's home (closed to others) is reached the same way, then shown at its own path.
            for (var i = 0; i < host.Toolchains.Roots.Count; i++)
            {
                binds.AddRange([host.Toolchains.Roots[i], Toolchains.MountPoint(host.Root, i)]);
            }

            foreach (var argument in new[] { "unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", Bind, "codybatch-bind" }.Concat(binds).Append("--"))
            {
                start.ArgumentList.Add(argument);
            }
        }

        if (host.DropsPrivileges)
        {
            foreach (var argument in new[]
            {
                "setpriv",
                "--reuid", host.UserId.ToString(CultureInfo.InvariantCulture),
                "--regid", host.GroupId.ToString(CultureInfo.InvariantCulture),
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add(bwrap);
        foreach (var argument in SandboxArguments.Build(options, host, source, command, network, home, extra))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    // Whether any user may pass through every folder above the tree (the bind costs two more processes and a
    // mount namespace; when the path is open, bwrap reaches the tree by itself and a wrong answer only fails the launch).
    private static bool OpenToOthers(string treePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(treePath));
        while (folder is not null)
        {
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is not null || !info.Exists || !info.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }

            folder = Path.GetDirectoryName(folder);
        }

        return true;
    }
}
