using System.Globalization;
using CodyBatch.Core.Checks;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// The toolchains outside <c>/usr</c> the sandbox shows: each root a host folder bound read-only at the same path (so
/// the paths a toolchain wrote into its own files still hold), its <c>bin</c> (or the folder itself) on <c>PATH</c>, and
/// the variables a toolchain needs to find itself (<c>RUSTUP_HOME</c>, <c>PYENV_ROOT</c>, <c>DOTNET_ROOT</c>). The roots
/// are <c>CodyBatch:Checks:ToolchainRoots</c> and, with <c>CodyBatch:Checks:DetectToolchains</c>, the usual places in the
/// service account's home: rustup's <c>~/.cargo/bin</c> (not all of <c>~/.cargo</c>: its credentials stay out) and
/// <c>~/.rustup</c>, pyenv's <c>~/.pyenv</c>, a user-local .NET in <c>~/.dotnet</c> or <c>DOTNET_ROOT</c>, and Go's
/// <c>/usr/local/go/bin</c>.
/// </summary>
internal sealed class Toolchains
{
    /// <summary>The system's part of the sandbox's <c>PATH</c>.</summary>
    public const string SystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Toolchains(IReadOnlyList<string> roots, IReadOnlyList<string> paths, IReadOnlyList<(string, string)> variables)
    {
        Roots = roots;
        Paths = paths;
        Variables = variables;
    }

    /// <summary>No toolchain roots.</summary>
    public static Toolchains None { get; } = new([], [], []);

    /// <summary>The host folders bound read-only at the same path (none under <c>/usr</c>, which the sandbox has already).</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>Folders put on <c>PATH</c> before the system's, in order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Variables the toolchains need.</summary>
    public IReadOnlyList<(string Name, string Value)> Variables { get; }

    /// <summary>
    /// What <paramref name="tools"/> are in the sandbox, as one line each: the file each resolves to on the sandbox's
    /// <c>PATH</c> (these roots first, then the system's folders, which the sandbox shows as they are), its size and
    /// modification time; "missing" for one found nowhere. An upgraded tool reads differently.
    /// </summary>
    public string Identity(IEnumerable<string> tools)
    {
        var folders = Paths.Concat(SystemPath.Split(':'));
        return string.Join('\n', tools.Select(tool =>
        {
            var file = folders.Select(f => new FileInfo(Path.Combine(f, tool))).FirstOrDefault(f => f.Exists);
            if (file is null)
            {
                return $"{tool} missing";
            }

            var target = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
            return target.Exists
                ? string.Create(CultureInfo.InvariantCulture, $"{tool} {target.FullName} {target.Length} {target.LastWriteTimeUtc.Ticks}")
                : $"{tool} missing";
        }));
    }

    /// <summary>The folder a launch binds root number <paramref name="index"/> onto before dropping privileges.</summary>
    public static string MountPoint(string hostRoot, int index) => Path.Combine(hostRoot, "toolchain-" + index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The roots of <paramref name="options"/>, those detected in <paramref name="home"/> included when detection is on.</summary>
    public static Toolchains Resolve(CheckOptions options, string? home = null, string? dotnetRoot = null)
    {
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        dotnetRoot ??= Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var candidates = new List<string>(options.ToolchainRoots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => Path.TrimEndingDirectorySeparator(r.Trim())));
        if (options.DetectToolchains)
        {
            if (home.Length > 0)
            {
                candidates.AddRange([Path.Combine(home, ".cargo", "bin"), Path.Combine(home, ".rustup"), Path.Combine(home, ".pyenv"), Path.Combine(home, ".dotnet")]);
            }

            if (!string.IsNullOrWhiteSpace(dotnetRoot))
            {
                candidates.Add(dotnetRoot);
            }

            candidates.Add("/usr/local/go");
        }

        var roots = new List<string>();
        var paths = new List<string>();
        var variables = new List<(string, string)>();
        foreach (var root in candidates.Where(Path.IsPathFullyQualified).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(root) || (Path.GetFileName(root) == ".dotnet" && !File.Exists(Path.Combine(root, "dotnet"))))
            {
                continue;
            }

            if (!IsUnder(root, "/usr"))
            {
                roots.Add(root);
            }

            var name = Path.GetFileName(root);
            if (name == ".rustup")
            {
                // rustup keeps its toolchains here; cargo's proxies find them through RUSTUP_HOME (HOME is the run's).
                variables.Add(("RUSTUP_HOME", root));
                continue;
            }

            if (name == ".pyenv")
            {
                // The global versions' own folders come before the shims: the root is read-only in the sandbox, so a
                // shim's rehash after `pip install` fails and turns a good install into exit 1. The shims stay behind
                // them for the other versions' commands.
                variables.Add(("PYENV_ROOT", root));
                paths.AddRange(GlobalPyenvVersions(root).Select(v => Path.Combine(root, "versions", v, "bin")).Where(Directory.Exists));
                paths.AddRange(new[] { Path.Combine(root, "shims"), Path.Combine(root, "bin") }.Where(Directory.Exists));
                continue;
            }

            if (File.Exists(Path.Combine(root, "dotnet")))
            {
                variables.Add(("DOTNET_ROOT", root));
            }

            paths.Add(Directory.Exists(Path.Combine(root, "bin")) ? Path.Combine(root, "bin") : root);
        }

        return new Toolchains(roots, [.. paths.Distinct(StringComparer.Ordinal)], variables);
    }

    // pyenv's global versions: the names in $PYENV_ROOT/version, one per line or space, "system" left out.
    private static IEnumerable<string> GlobalPyenvVersions(string root)
    {
        var file = Path.Combine(root, "version");
        if (!File.Exists(file))
        {
            return [];
        }

        return File.ReadAllText(file)
            .Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Where(v => v != "system" && !v.StartsWith('#') && !v.Contains('/', StringComparison.Ordinal) && v != ".." && v != ".");
    }

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);
}
