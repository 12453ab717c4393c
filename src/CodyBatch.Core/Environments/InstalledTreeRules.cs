using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Core.Environments;

/// <summary>
/// When the tree <c>npm ci</c> makes is a function of the kept tree's key alone (lock file, <c>package.json</c>,
/// <c>.npmrc</c>, setup, toolchain), so that a tree one commit shaped can stand for setup at another: npm reads nothing
/// but those files and packages whose content the lock file pins by integrity, and runs no code of the repository's or
/// its packages'. Anything else may read files outside the key (a local package's folder, a code generator reading a
/// schema, a configuration file named by an option), so its tree is not kept and setup runs as usual.
/// </summary>
internal static partial class InstalledTreeRules
{
    private const long MaxManifestBytes = 1024 * 1024;
    private const long MaxLockBytes = 64L * 1024 * 1024;

    // The root package's own lifecycle scripts, which npm ci runs.
    private static readonly string[] LifecycleScripts = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"];

    // .npmrc settings that name no file and run nothing (npm's config documentation); any other keeps no tree.
    private static readonly HashSet<string> NpmrcKeys = new(StringComparer.Ordinal)
    {
        "registry", "audit", "fund", "progress", "loglevel", "omit", "include", "legacy-peer-deps", "strict-peer-deps", "engine-strict",
        "save-exact", "save-prefix", "package-lock", "update-notifier", "fetch-retries", "fetch-retry-factor", "fetch-retry-mintimeout",
        "fetch-retry-maxtimeout", "fetch-timeout", "prefer-offline", "prefer-online", "offline", "ignore-scripts", "strict-ssl", "always-auth",
    };

    /// <summary>Why the tree of <paramref name="setup"/> in the repository at <paramref name="repositoryPath"/> is not kept; null when it may be.</summary>
    public static string? WhyNotKept(string repositoryPath, IReadOnlyList<string> setup)
    {
        if (setup is not [var command] || !NpmCi().IsMatch(command))
        {
            return "the setup is not `npm ci` alone (with options that read no file)";
        }

        if (Present(Path.Combine(repositoryPath, InstalledTree.Folder)))
        {
            return "the repository holds a node_modules/ of its own";
        }

        return Manifest(repositoryPath) ?? Npmrc(repositoryPath) ?? Lock(repositoryPath);
    }

    // Anything at the path, a dangling link included.
    public static bool Present(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static string? Manifest(string repositoryPath)
    {
        if (Read(repositoryPath, "package.json", MaxManifestBytes) is not { } bytes)
        {
            return "package.json is missing, a link or too large";
        }

        try
        {
            using var manifest = JsonDocument.Parse(bytes);
            var root = manifest.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "package.json is not a JSON object";
            }

            if (root.TryGetProperty("workspaces", out _))
            {
                return "package.json has workspaces (their packages have node_modules/ of their own)";
            }

            return root.TryGetProperty("scripts", out var scripts) && scripts.ValueKind == JsonValueKind.Object
                && LifecycleScripts.FirstOrDefault(name => scripts.TryGetProperty(name, out _)) is { } script
                ? $"package.json has its own install script `{script}` (it can read any file of the commit)"
                : null;
        }
        catch (JsonException)
        {
            return "package.json is not valid JSON";
        }
    }

    private static string? Npmrc(string repositoryPath)
    {
        if (!Present(Path.Combine(repositoryPath, ".npmrc")))
        {
            return null;
        }

        if (Read(repositoryPath, ".npmrc", MaxManifestBytes) is not { } bytes)
        {
            return ".npmrc is a link or too large";
        }

        foreach (var raw in System.Text.Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? line : line[..equals]).Trim();
            if (!NpmrcKeys.Contains(key) && !ScopeRegistry().IsMatch(key) && !RegistryCredential().IsMatch(key))
            {
                return $".npmrc sets `{key}`, which may name a file or run something";
            }
        }

        return null;
    }

    // The lock file npm ci installs from (npm-shrinkwrap.json before package-lock.json), format 2 or 3: every package in
    // the root's node_modules/, none linked to a folder, none with install scripts, each pinned by its integrity.
    private static string? Lock(string repositoryPath)
    {
        var name = Present(Path.Combine(repositoryPath, "npm-shrinkwrap.json")) ? "npm-shrinkwrap.json" : "package-lock.json";
        if (Read(repositoryPath, name, MaxLockBytes) is not { } bytes)
        {
            return $"{name} is missing, a link or too large";
        }

        try
        {
            using var lockFile = JsonDocument.Parse(bytes);
            var root = lockFile.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("lockfileVersion", out var version)
                || version.ValueKind != JsonValueKind.Number || version.GetInt32() is not (2 or 3)
                || !root.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Object)
            {
                return $"{name} is not of lockfileVersion 2 or 3 with its `packages`";
            }

            foreach (var entry in packages.EnumerateObject())
            {
                if (Package(repositoryPath, entry.Name, entry.Value) is { } reason)
                {
                    return $"{name}: {reason}";
                }
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return $"{name} is not valid JSON";
        }
    }

    private static string? Package(string repositoryPath, string location, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return $"the entry \"{location}\" is not an object";
        }

        if (location.Length > 0 && True(entry, "optional") && NotForLinux(entry))
        {
            // npm leaves an optional package for another system out (fsevents on Linux): it installs nothing here.
            return null;
        }

        if (True(entry, "hasInstallScript"))
        {
            return $"\"{(location.Length == 0 ? "(root)" : location)}\" has install scripts";
        }

        if (location.Length == 0)
        {
            return entry.TryGetProperty("workspaces", out _) ? "the root has workspaces" : null;
        }

        if (!location.StartsWith(InstalledTree.Folder + "/", StringComparison.Ordinal) || location.Split('/').Any(s => s is "" or "." or "..") || location.Contains('\\', StringComparison.Ordinal))
        {
            return $"\"{location}\" is installed outside the root's node_modules/";
        }

        if (True(entry, "link"))
        {
            return $"\"{location}\" is a link to a folder of the repository";
        }

        if (True(entry, "inBundle"))
        {
            // It comes inside its parent's tarball, which the parent's integrity pins (its own entry is checked too).
            // A package the root bundles has no tarball around it: npm installs it from wherever the entry says.
            return location.IndexOf("/" + InstalledTree.Folder + "/", StringComparison.Ordinal) > 0
                ? null
                : $"\"{location}\" is bundled by the root package, which no integrity pins";
        }

        var resolved = entry.TryGetProperty("resolved", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : null;
        var integrity = entry.TryGetProperty("integrity", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : null;
        if (integrity is null)
        {
            return $"\"{location}\" has no `integrity` pinning its content";
        }

        // Without `resolved` npm fetches the version from the registry the key's .npmrc names and checks the integrity.
        if (resolved is null || resolved.StartsWith("https://", StringComparison.Ordinal) || resolved.StartsWith("http://", StringComparison.Ordinal))
        {
            return null;
        }

        // A tarball the repository holds is pinned only when its bytes are those the lock's integrity names.
        return resolved.StartsWith("file:", StringComparison.Ordinal) && TarballMatches(repositoryPath, resolved["file:".Length..], integrity)
            ? null
            : $"\"{location}\" comes from `{resolved}`, which its integrity does not pin";
    }

    // An `os` list that names other systems only, or excludes Linux ("!linux").
    private static bool NotForLinux(JsonElement entry) =>
        entry.TryGetProperty("os", out var os) && os.ValueKind == JsonValueKind.Array && os.GetArrayLength() > 0
        && os.EnumerateArray().All(o => o.ValueKind == JsonValueKind.String)
        && (os.EnumerateArray().Any(o => o.GetString() == "!linux")
            || (os.EnumerateArray().All(o => !o.GetString()!.StartsWith('!')) && os.EnumerateArray().All(o => o.GetString() != "linux")));

    private static bool TarballMatches(string repositoryPath, string relative, string integrity)
    {
        if (relative.Split('/').Any(s => s is "" or "." or "..") || relative.Contains('\\', StringComparison.Ordinal)
            || Read(repositoryPath, relative, MaxLockBytes) is not { } tarball)
        {
            return false;
        }

        var digest = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
        return integrity.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(h => h.Equals(digest, StringComparison.Ordinal));
    }

    private static bool True(JsonElement entry, string property) =>
        entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    // The regular file at `relative`, read through no link (at any step) and bounded by the bytes read; null when it is
    // missing, a link, a special file or larger than maxBytes.
    private static byte[]? Read(string repositoryPath, string relative, long maxBytes)
    {
        try
        {
            return new ConfinedDirectory(repositoryPath, LinkPolicy.Refuse).ReadFile(relative, maxBytes);
        }
        catch (ConfinedPathException)
        {
            return null;
        }
    }

    // npm ci with options that read no file, name no folder and run nothing more (npm's config documentation).
    [GeneratedRegex("^npm ci(?: +--(?:no-audit|audit=false|no-fund|fund=false|offline|prefer-offline|prefer-online|no-progress|progress=false|silent|quiet"
        + "|loglevel=(?:silent|error|warn|notice|http|info|verbose|silly)|omit=(?:dev|optional|peer)|include=(?:prod|dev|optional|peer)"
        + "|legacy-peer-deps|strict-peer-deps|engine-strict|no-update-notifier|ignore-scripts))* *$")]
    private static partial Regex NpmCi();

    [GeneratedRegex("^@[a-z0-9][a-z0-9._-]*:registry$")]
    private static partial Regex ScopeRegistry();

    // A registry's credential for one host (`//registry.example/:_authToken`), not a certificate file.
    [GeneratedRegex("^//[^\\s]+:(?:_authToken|_auth|username|_password|always-auth)$")]
    private static partial Regex RegistryCredential();
}
