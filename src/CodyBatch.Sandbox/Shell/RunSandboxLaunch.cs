using System.Diagnostics;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Sandbox.Bubblewrap;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// Launches a command in the run's sandbox: the same bwrap command line the checks use, with the run's one home as
/// <c>/tmp</c> instead of an empty one, started by a launcher that first joins the command's cgroup, so the tree is
/// limited from its first instruction. Nothing of this process's environment is passed on.
/// </summary>
internal static class RunSandboxLaunch
{
    /// <summary>
    /// The bwrap arguments of one setup or check command: as before when the run has neither a home nor a proxy;
    /// otherwise the run's home as <c>/tmp</c> and, for setup, the egress proxy as its only network.
    /// </summary>
    public static List<string> ForCommand(CheckOptions options, string treePath, string command, bool hostNetwork, string? homePath, SandboxNetwork? proxy)
    {
        if (homePath is null && proxy is not { HasProxy: true })
        {
            return SandboxArguments.Build(options, treePath, command, hostNetwork);
        }

        var network = proxy ?? SandboxNetwork.None;
        return Arguments(options, treePath, homePath, NetworkBridge.Wrap(network, command), [.. NetworkBridge.Arguments(network), "--remount-ro", "/"]);
    }

    /// <summary>The bwrap arguments: the checks' sandbox, <paramref name="homePath"/> as <c>/tmp</c> (when given), plus <paramref name="extra"/> mounts.</summary>
    public static List<string> Arguments(CheckOptions options, string repositoryPath, string? homePath, string command, IEnumerable<string> extra)
    {
        var arguments = SandboxArguments.Build(options, repositoryPath, command, network: false);
        for (var i = 0; homePath is not null && i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == "--tmpfs" && arguments[i + 1] == "/tmp")
            {
                arguments[i] = "--bind";
                arguments.Insert(i + 1, homePath);
                break;
            }
        }

        // The command itself is the last four arguments: "--", "/bin/sh", "-c", command.
        arguments.InsertRange(arguments.Count - 4, extra);
        return arguments;
    }

    /// <summary>A process that joins <paramref name="group"/> and then becomes bwrap with <paramref name="arguments"/>, its stderr merged into stdout.</summary>
    public static ProcessStartInfo StartInfo(string bwrap, CommandCgroup group, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""ulimit -c 0; while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@" 2>&1""");
        start.ArgumentList.Add("codybatch-sandbox");
        foreach (var procs in group.ProcsFiles)
        {
            start.ArgumentList.Add(procs);
        }

        start.ArgumentList.Add("--");
        start.ArgumentList.Add(bwrap);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The bwrap executable named by <paramref name="configured"/> (a path, or a name on PATH), or null.</summary>
    public static string? ResolveBwrap(string configured)
    {
        if (configured.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, configured))
            .FirstOrDefault(File.Exists);
    }
}
