using CodyBatch.Core.Checks;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// The bwrap command line: every namespace unshared (the network too, unless setup may use it), no
/// capabilities, a new session, killed with its parent; the system folders read-only, a short list
/// of <c>/etc</c> entries, a private <c>/tmp</c>, <c>/proc</c> and <c>/dev</c>, the tree as <c>/repo</c>
/// (the only writable host folder), and an environment that holds only what is listed here.
/// </summary>
internal static class SandboxArguments
{
    public const string RepositoryPath = "/repo";

    // What programs need from /etc to run (users, libraries, certificates, time zone); nothing with secrets.
    private static readonly string[] EtcEntries =
    [
        "passwd", "group", "nsswitch.conf", "hosts", "host.conf", "protocols", "services", "localtime", "timezone",
        "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "ssl", "ca-certificates", "ca-certificates.conf",
        "os-release", "debian_version", "mime.types", "gai.conf", "xdg", "java-17-openjdk", "dotnet",
    ];

    private static readonly string[] SystemFolders = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    public static List<string> Build(CheckOptions options, string treePath, string command, bool network)
    {
        var arguments = new List<string>
        {
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop", "ALL",
            "--uid", "1000",
            "--gid", "1000",
            "--hostname", "codybatch-checks",
            "--ro-bind", "/usr", "/usr",
        };
        if (network)
        {
            arguments.Add("--share-net");
            arguments.AddRange(["--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf"]);
        }

        foreach (var folder in SystemFolders)
        {
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, folder]);
            }
            else if (info.Exists)
            {
                arguments.AddRange(["--ro-bind", folder, folder]);
            }
        }

        foreach (var entry in EtcEntries)
        {
            arguments.AddRange(["--ro-bind-try", $"/etc/{entry}", $"/etc/{entry}"]);
        }

        foreach (var path in options.ReadOnlyPaths.Where(p => Path.IsPathFullyQualified(p)))
        {
            arguments.AddRange(["--ro-bind-try", path, path]);
        }

        arguments.AddRange(["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--bind", treePath, RepositoryPath, "--chdir", RepositoryPath, "--clearenv"]);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
            ["CI"] = "true",
        };
        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.AddRange(["--", "/bin/sh", "-c", command]);
        return arguments;
    }
}
