using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;

namespace CodyBatch.Core.Environments;

/// <summary>
/// The dependency tree a repository's setup installed into it (npm's <c>node_modules/</c>), kept right after a setup
/// that passed and before anything else runs in the tree, and put back in place of that setup on a later run of the same
/// repository whose key matches: the lock file, <c>package.json</c> and <c>.npmrc</c>, the setup commands and the
/// toolchain (what <c>node</c> and <c>npm</c> resolve to in the sandbox). Only a tree that is a function of that key
/// alone qualifies (see <see cref="WhyNotKept"/>): <c>npm ci</c> alone, from a lock file that pins every package's
/// content and declares no install script, so npm reads no other file of the commit and runs no code of it.
/// </summary>
public sealed class InstalledTree
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
    /// setup is <paramref name="setup"/>; null when the tree <c>npm ci</c> makes there may depend on anything but the key
    /// (see <see cref="WhyNotKept"/>) or the store cannot keep one.
    /// </summary>
    public static InstalledTree? For(IDependencyCacheStore store, string scope, string repositoryPath, IReadOnlyList<string> setup, AgentThread? thread)
    {
        if (!store.KeepsInstalledTrees || DependencyCacheKinds.For(repositoryPath).FirstOrDefault(k => k.Kind.Ecosystem == "npm") is not { LockFileHash: { } lockHash })
        {
            return null;
        }

        if (WhyNotKept(repositoryPath, setup) is { } reason)
        {
            // An npm repository whose tree is not kept says why, so a setup that runs on every run is not a mystery.
            thread?.Add("cache", new JsonObject { ["ecosystem"] = Ecosystem, ["kept"] = false, ["reason"] = reason });
            return null;
        }

        return new InstalledTree(store, scope, $"{lockHash}\n{Manifests(repositoryPath)}\n{string.Join('\n', setup)}", thread);
    }

    /// <summary>
    /// Why the tree <paramref name="setup"/> makes in the repository at <paramref name="repositoryPath"/> is not kept;
    /// null when it is a function of the key alone: the setup is <c>npm ci</c> alone with options that read no file; the
    /// repository holds no <c>node_modules/</c>; <c>package.json</c> has no workspaces and no install scripts of its own;
    /// <c>.npmrc</c> sets only what names no file; the lock file (format 2 or 3) puts every package in the root's
    /// <c>node_modules/</c>, links none to a folder, declares no install script and pins each one's content by its
    /// integrity (a tarball the repository holds only when its bytes match).
    /// </summary>
    public static string? WhyNotKept(string repositoryPath, IReadOnlyList<string> setup) => InstalledTreeRules.WhyNotKept(repositoryPath, setup);

    /// <summary>
    /// Variables for the setup whose tree will be kept: no install script runs, so a lock file that hides a package's
    /// install script (it does not declare <c>hasInstallScript</c>) still gets a tree that is what the lock file says.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SetupVariables { get; } = [new("npm_config_ignore_scripts", "true")];

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
        var restored = !InstalledTreeRules.Present(target) && await _store.RestoreAsync(key, target, cancellationToken);
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
}
