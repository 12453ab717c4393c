using CodyBatch.Core.Checks;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// The bwrap command line: every namespace unshared (the network too, unless setup may use it) and
/// no further user namespaces inside, no capabilities, the seccomp program from descriptor
/// <see cref="SeccompDescriptor"/>, a new session, killed with its parent; the system folders
/// read-only, a short list of <c>/etc</c> entries (no private keys, a passwd and group of its own), a
/// private size-limited <c>/tmp</c>, <c>/proc</c> and <c>/dev</c>, the tree as <c>/repo</c> (the
/// only writable host folder), and an environment that holds only what is listed here.
/// </summary>
internal static class SandboxArguments
{
    public const string RepositoryPath = "/repo";

    /// <summary>The descriptor the launcher opens the seccomp program on.</summary>
    public const int SeccompDescriptor = 3;

    // What programs need from /etc to run (name service, libraries, public certificates, time zone); nothing secret.
    private static readonly string[] EtcEntries =
    [
        "nsswitch.conf", "hosts", "host.conf", "protocols", "services", "localtime", "timezone",
        "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "ssl/certs", "ssl/openssl.cnf", "ca-certificates",
        "ca-certificates.conf", "pki/tls/certs", "pki/ca-trust/extracted", "os-release", "debian_version", "mime.types",
        "gai.conf", "xdg", "java-17-openjdk", "java-21-openjdk", "dotnet",
    ];

    private static readonly string[] SystemFolders = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>The port the proxy variables point at when the sandbox has no network: nothing listens there, so a connection is refused at once.</summary>
    public const string RefusingProxy = "http://127.0.0.1:9";

    /// <summary>Variables that make a command without network fail at once instead of waiting and retrying.</summary>
    public static IReadOnlyList<(string Name, string Value)> OfflineEnvironment { get; } =
    [
        ("HTTP_PROXY", RefusingProxy), ("HTTPS_PROXY", RefusingProxy), ("http_proxy", RefusingProxy), ("https_proxy", RefusingProxy),
        ("ALL_PROXY", RefusingProxy), ("all_proxy", RefusingProxy), ("NO_PROXY", "localhost,127.0.0.1,::1"), ("no_proxy", "localhost,127.0.0.1,::1"),
        ("npm_config_fetch_retries", "0"), ("PIP_RETRIES", "0"), ("UV_HTTP_RETRIES", "0"), ("CARGO_NET_RETRY", "0"),
        ("NUGET_ENHANCED_MAX_NETWORK_TRY_COUNT", "1"), ("NUGET_ENHANCED_NETWORK_RETRY_DELAY_MILLISECONDS", "0"),
        ("RestoreIgnoreFailedSources", "true"), ("GOPROXY", "off"), ("GOTOOLCHAIN", "local"),
    ];

    /// <summary>bwrap's arguments to run <paramref name="command"/> (an argument vector) with <paramref name="source"/> as <c>/repo</c>.</summary>
    /// <remarks>
    /// With <paramref name="home"/> the run's one home is <c>/tmp</c> instead of an empty one; <paramref name="extra"/>
    /// (the egress bridge's bind and variables, the session's state folder) comes last before the command.
    /// </remarks>
    public static List<string> Build(
        CheckOptions options, SandboxHost host, string source, IReadOnlyList<string> command, bool network, string? home = null, IReadOnlyList<string>? extra = null)
    {
        var id = SandboxHost.InsideId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var arguments = new List<string>
        {
            "--unshare-all",
            "--unshare-user",
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
            "--cap-drop", "ALL",
            "--uid", id,
            "--gid", id,
            "--hostname", "codybatch-checks",
            "--seccomp", SeccompDescriptor.ToString(System.Globalization.CultureInfo.InvariantCulture),
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

        arguments.AddRange(["--ro-bind", host.PasswdFile, "/etc/passwd", "--ro-bind", host.GroupFile, "/etc/group"]);
        var tmpBytes = (options.DiskLimitMb > 0 ? options.DiskLimitMb : 4_096) * 1024L * 1024L;
        arguments.AddRange(home is null
            ? ["--dev", "/dev", "--proc", "/proc", "--size", tmpBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/tmp"]
            : ["--dev", "/dev", "--proc", "/proc", "--bind", home, "/tmp"]);

        // After /tmp, so a toolchain folder under it is not hidden by the private one.
        foreach (var path in options.ReadOnlyPaths.Where(p => Path.IsPathFullyQualified(p)))
        {
            arguments.AddRange(["--ro-bind-try", path, path]);
        }

        var toolchains = host.Toolchains;
        for (var i = 0; i < toolchains.Roots.Count; i++)
        {
            // As root, the launch bound each root onto its mount point first (the service account's home is closed to the sandbox's user).
            var seen = host.DropsPrivileges ? Toolchains.MountPoint(host.Root, i) : toolchains.Roots[i];
            arguments.AddRange(["--ro-bind-try", seen, toolchains.Roots[i]]);
        }

        arguments.AddRange(["--bind", source, RepositoryPath, "--chdir", RepositoryPath, "--clearenv"]);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Toolchains.SystemPath,
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
            ["CI"] = "true",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
        if (!network)
        {
            // Without a network every attempt to reach one fails at once, and package managers do not retry it: the
            // proxy variables point at a port that refuses on the sandbox's own loopback (the egress bridge, when the
            // run has one, points them at the proxy instead and lifts the rest).
            foreach (var (name, value) in OfflineEnvironment)
            {
                environment[name] = value;
            }
        }

        environment["PATH"] = string.Join(':', toolchains.Paths.Append(environment["PATH"]));
        foreach (var (name, value) in toolchains.Variables)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.AddRange(extra ?? []);
        arguments.Add("--");
        arguments.AddRange(command);
        return arguments;
    }
}
