using System.Text.Json;

namespace CodyBatch.Core.Checks;

/// <summary>
/// The setup a repository's files call for when neither the job nor <c>.codybatch/checks.json</c> gives one: each lock
/// file (or manifest) names the install command of its package manager, in a fixed order, so the same tree always gets
/// the same setup. Installs that would change the lock file are avoided (<c>npm ci</c>, <c>--frozen-lockfile</c>); npm
/// takes what the run's dependency cache holds without asking the registry whether it is still current
/// (<c>--prefer-offline</c>: what is missing is still fetched) and skips the audit and funding requests, which install
/// nothing.
/// </summary>
internal static class SetupDetector
{
    // Detection reads only the head of what it looks at; nothing bigger than this is a manifest.
    private const int MaxDetectBytes = 1024 * 1024;

    // pip may install into the home's user site even where the system Python is marked as managed by the distribution.
    private const string NpmFlags = "--prefer-offline --no-audit --no-fund";

    private const string Pip = "PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --user --disable-pip-version-check";

    private static readonly string[] Requirements = ["requirements.txt", "requirements-dev.txt", "requirements-test.txt", "dev-requirements.txt", "test-requirements.txt"];

    /// <summary>The files at the repository's root the rules below read (see <see cref="SetupInputs"/>).</summary>
    public static IReadOnlyList<string> RootFiles { get; } =
    [
        "package.json", "pnpm-lock.yaml", "yarn.lock", ".yarnrc.yml", "package-lock.json", "npm-shrinkwrap.json",
        "uv.lock", "poetry.lock", .. Requirements, "pyproject.toml", "go.mod", "Cargo.toml", "Cargo.lock",
    ];

    /// <summary>The endings of the .NET solution and project files the rules below restore.</summary>
    public static IReadOnlyList<string> ProjectEndings { get; } = [".sln", ".slnx", ".csproj", ".fsproj"];

    /// <summary>The detected setup commands, and where each came from ("package-lock.json → npm ci").</summary>
    public static (IReadOnlyList<string> Commands, string? Source) Detect(RepositoryFiles root)
    {
        var found = new List<(string File, string Command)>();
        if (Node(root) is { } node)
        {
            found.Add(node);
        }

        found.AddRange(Python(root));
        var dotnet = root.Files("")
            .Where(f => ProjectEndings.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        if (dotnet is not null)
        {
            found.Add((dotnet, $"dotnet restore {dotnet}"));
        }

        if (root.IsFile("go.mod"))
        {
            found.Add(("go.mod", "go mod download"));
        }

        if (root.IsFile("Cargo.toml"))
        {
            found.Add((root.IsFile("Cargo.lock") ? "Cargo.lock" : "Cargo.toml", "cargo fetch"));
        }

        return found.Count == 0
            ? ([], null)
            : ([.. found.Select(f => f.Command)], $"detected from {string.Join(", ", found.Select(f => $"{f.File} ({f.Command})"))}");
    }

    private static (string File, string Command)? Node(RepositoryFiles root)
    {
        if (!root.IsFile("package.json"))
        {
            return null;
        }

        if (root.IsFile("pnpm-lock.yaml"))
        {
            return ("pnpm-lock.yaml", "pnpm install --frozen-lockfile");
        }

        if (root.IsFile("yarn.lock"))
        {
            // Yarn 2 and later (a .yarnrc.yml) say --immutable; Yarn 1 says --frozen-lockfile.
            return root.IsFile(".yarnrc.yml") ? ("yarn.lock", "yarn install --immutable") : ("yarn.lock", "yarn install --frozen-lockfile");
        }

        if (new[] { "package-lock.json", "npm-shrinkwrap.json" }.FirstOrDefault(root.IsFile) is { } npmLock)
        {
            return (npmLock, $"npm ci {NpmFlags}");
        }

        // A manifest without a lock file: install only when it lists something to install.
        return HasDependencies(root) ? ("package.json", $"npm install {NpmFlags}") : null;
    }

    private static IEnumerable<(string File, string Command)> Python(RepositoryFiles root)
    {
        if (root.IsFile("uv.lock"))
        {
            yield return ("uv.lock", "uv sync --frozen");
            yield break;
        }

        if (root.IsFile("poetry.lock"))
        {
            yield return ("poetry.lock", "poetry install --no-interaction");
            yield break;
        }

        var any = false;
        foreach (var requirements in Requirements)
        {
            if (root.IsFile(requirements))
            {
                any = true;
                yield return (requirements, $"{Pip} -r {requirements}");
            }
        }

        if (!any && root.IsFile("pyproject.toml") && PyProjectInstall.Target(root.Read("pyproject.toml", MaxDetectBytes, out _)) is { } target)
        {
            yield return ("pyproject.toml", $"{Pip} -e {target}");
        }
    }

    private static bool HasDependencies(RepositoryFiles root)
    {
        if (root.Read("package.json", MaxDetectBytes, out _) is not { } text)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && new[] { "dependencies", "devDependencies", "optionalDependencies" }.Any(name =>
                    document.RootElement.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Object && list.EnumerateObject().Any());
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
