using System.Diagnostics;
using CodyBatch.Core.Environments;
using CodyBatch.Sandbox.Bubblewrap;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// Launches a script in the run's sandbox: the checks' launcher (cgroup, seccomp, unprivileged identity, bwrap) with
/// the run's one home as <c>/tmp</c> instead of an empty one and, when the run may reach the registries, the egress
/// bridge as its only network; the sandbox's own root is made read-only last, so only <c>/repo</c> and <c>/tmp</c>
/// (and what the extra arguments mount) are writable at all.
/// </summary>
internal static class RunSandboxLaunch
{
    public static ProcessStartInfo Create(
        SandboxLauncher launcher, string treePath, IReadOnlyList<string> procsFiles, string script, bool hostNetwork, string? homePath, SandboxNetwork? proxy,
        IReadOnlyList<string>? extra = null, string? gitView = null)
    {
        var network = proxy ?? SandboxNetwork.None;
        if (homePath is null && !network.HasProxy && extra is null && gitView is null)
        {
            return launcher.Create(treePath, procsFiles, ["/bin/sh", "-c", script], hostNetwork);
        }

        var folder = network.ProxySocketPath is { } socket ? Path.GetDirectoryName(socket) : null;
        var seen = folder is null ? null : Path.Combine(launcher.EgressFolderSeen(folder), Path.GetFileName(network.ProxySocketPath!));
        var arguments = new List<string>(extra ?? []);
        arguments.AddRange(NetworkBridge.Arguments(seen));
        if (gitView is not null)
        {
            // The snapshot's git view over /repo/.git, read-only; git inside trusts it although a host user owns it.
            arguments.AddRange(["--ro-bind", launcher.GitViewSeen(gitView), "/repo/.git"]);
            arguments.AddRange(["--setenv", "GIT_CONFIG_COUNT", "1", "--setenv", "GIT_CONFIG_KEY_0", "safe.directory", "--setenv", "GIT_CONFIG_VALUE_0", "/repo"]);
        }

        arguments.AddRange(["--remount-ro", "/"]);
        return launcher.Create(treePath, procsFiles, ["/bin/sh", "-c", NetworkBridge.Wrap(network, script)], network: false, homePath, folder, arguments, gitView);
    }
}
