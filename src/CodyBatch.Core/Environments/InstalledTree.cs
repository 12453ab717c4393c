using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodyBatch.Core.Agent;

namespace CodyBatch.Core.Environments;

/// <summary>
/// The dependency tree a repository's setup installed into it (npm's <c>node_modules/</c>), kept right after a setup
/// that passed and before anything else runs in the tree, and put back in place of that setup on a later run of the same
/// repository whose key matches: the lock file, <c>package.json</c> and <c>.npmrc</c>, the setup commands and the
/// toolchain (what <c>node</c> and <c>npm</c> resolve to in the sandbox). Only a setup made of <c>npm ci</c> alone
/// qualifies: <c>npm ci</c> replaces <c>node_modules/</c> whole from the lock file, so the kept tree is all it would have
/// made inside the repository (what install scripts wrote elsewhere, such as git hooks, is not; see the environments
/// documentation).
/// </summary>
public sealed partial class InstalledTree
{
    /// <summary>The kept tree's ecosystem in a <see cref="DependencyCacheKey"/>.</summary>
    public const string Ecosystem = "node_modules";

    /// <summary>The folder of the repository it keeps.</summary>
    public const string Folder = "node_modules";

    /// <summary>The files at the repository's root besides the lock file whose content is in the key.</summary>
    public static IReadOnlyList<string> ManifestFiles { get; } = ["package.json", ".npmrc"];

    private readonly IDependencyCacheStore _store;
    private readonly string _scope;
    private readonly string _basis;
    private readonly AgentThread? _thread;
    private DependencyCacheKey? _missed;

    private InstalledTree(IDependencyCacheStore store, string scope, string basis, AgentThread? thread) =>
        (_store, _scope, _basis, _thread) = (store, scope, basis, thread);

    /// <summary>The tools whose identity is part of the key (see <see cref="RestoreAsync"/>).</summary>
    public static IReadOnlyList<string> Tools { get; } = ["node", "npm"];

    /// <summary>
    /// The kept tree for a run of the repository at <paramref name="repositoryPath"/> (the tree setup will run in) whose
    /// setup is <paramref name="setup"/>; null when it does not qualify: a setup other than <c>npm ci</c>, no npm lock
    /// file, npm workspaces (their packages' own <c>node_modules/</c> are not kept), a <c>node_modules/</c> the
    /// repository itself holds, or a store that cannot keep one.
    /// </summary>
    public static InstalledTree? For(IDependencyCacheStore store, string scope, string repositoryPath, IReadOnlyList<string> setup, AgentThread? thread)
    {
        if (!store.KeepsInstalledTrees || setup.Count == 0 || !setup.All(c => NpmCi().IsMatch(c))
            || Present(Path.Combine(repositoryPath, Folder)) || UsesWorkspaces(repositoryPath) || RunsOwnInstallScripts(repositoryPath))
        {
            return null;
        }

        if (DependencyCacheKinds.For(repositoryPath).FirstOrDefault(k => k.Kind.Ecosystem == "npm") is not { LockFileHash: { } lockHash })
        {
            return null;
        }

        return new InstalledTree(store, scope, $"{lockHash}\n{Manifests(repositoryPath)}\n{string.Join('\n', setup)}", thread);
    }

    /// <summary>
    /// Puts the kept tree into <paramref name="treePath"/> when there is one for this lock file, setup and
    /// <paramref name="toolchain"/> (a description of the tools' files as the sandbox sees them); true when it did, and
    /// then setup is not run. The hit or miss goes into the thread.
    /// </summary>
    public async Task<bool> RestoreAsync(string treePath, string toolchain, CancellationToken cancellationToken)
    {
        var key = new DependencyCacheKey(_scope, Ecosystem, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_basis}\n{toolchain}"))));
        var clock = Stopwatch.StartNew();

        // Restoring writes only into a folder it makes itself: never into one that is there, nor through a link.
        var target = Path.Combine(treePath, Folder);
        var restored = !Present(target) && await _store.RestoreAsync(key, target, cancellationToken);
        _missed = restored ? null : key;
        _thread?.Add("cache", new JsonObject
        {
            ["ecosystem"] = Ecosystem,
            ["key"] = key.LockFileHash,
            ["restored"] = restored,
            ["durationMs"] = (long)clock.Elapsed.TotalMilliseconds,
        });
        return restored;
    }

    /// <summary>Keeps <paramref name="treePath"/>'s installed tree when it was missing (call right after a setup that passed, before anything else runs there).</summary>
    public async Task SaveAsync(string treePath, CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(Path.Combine(treePath, Folder));
        if (_missed is not { } key || !folder.Exists || folder.LinkTarget is not null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        _missed = null;
        try
        {
            await _store.SaveAsync(key, folder.FullName, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Keeping the tree is an optimisation: a tree that cannot be kept (unreadable entries, a full disk) never fails the run.
            _thread?.Add("cache", new JsonObject { ["ecosystem"] = Ecosystem, ["key"] = key.LockFileHash, ["saved"] = false, ["error"] = e.Message });
            return;
        }

        _thread?.Add("cache", new JsonObject { ["ecosystem"] = Ecosystem, ["key"] = key.LockFileHash, ["saved"] = true, ["durationMs"] = (long)clock.Elapsed.TotalMilliseconds });
    }

    /// <summary>The setup result that stands for a command the restored tree made unnecessary.</summary>
    public static Checks.CheckResult Skipped(string command, TimeSpan duration) => new()
    {
        Name = "setup",
        Command = command,
        ExitCode = 0,
        Duration = duration,
        Output = $"Not run: {Folder}/ was restored as this setup left it on an earlier run of the repository (same lock file, package.json, .npmrc, setup and toolchain).\n",
    };

    // package.json (a dependency changed without the lock file makes npm ci fail; its install scripts) and the
    // repository's .npmrc (what npm omits or runs), hashed: a change to either installs again.
    // The root package's own lifecycle scripts, which npm ci runs: they can read any file of the commit (not only those
    // in the key), so a tree they shaped at one commit must not stand in for setup at another.
    private static readonly string[] LifecycleScripts = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"];

    private static bool RunsOwnInstallScripts(string repositoryPath)
    {
        var file = new FileInfo(Path.Combine(repositoryPath, "package.json"));
        if (!file.Exists || file.LinkTarget is not null || file.Length > 1024 * 1024)
        {
            return true;
        }

        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            return manifest.RootElement.ValueKind != JsonValueKind.Object
                || (manifest.RootElement.TryGetProperty("scripts", out var scripts) && scripts.ValueKind == JsonValueKind.Object
                    && LifecycleScripts.Any(name => scripts.TryGetProperty(name, out _)));
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static string Manifests(string repositoryPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in ManifestFiles)
        {
            var file = new FileInfo(Path.Combine(repositoryPath, name));
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\0"));
            if (file.Exists && file.LinkTarget is null && file.Length <= 1024 * 1024)
            {
                hash.AppendData(File.ReadAllBytes(file.FullName));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Anything at the path, a dangling link included.
    private static bool Present(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static bool UsesWorkspaces(string repositoryPath)
    {
        var manifest = new FileInfo(Path.Combine(repositoryPath, "package.json"));
        if (!manifest.Exists || manifest.LinkTarget is not null || manifest.Length > 1024 * 1024)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest.FullName));
            return document.RootElement.ValueKind != JsonValueKind.Object || document.RootElement.TryGetProperty("workspaces", out _);
        }
        catch (JsonException)
        {
            return true;
        }
    }

    // npm ci with options only: nothing that names a package, a folder (--prefix) or a second command.
    [GeneratedRegex("^npm ci( +--(?!prefix)[a-z][a-z-]*(=[A-Za-z0-9._-]+)?)*$")]
    private static partial Regex NpmCi();
}
