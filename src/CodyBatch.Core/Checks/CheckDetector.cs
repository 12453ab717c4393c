using System.Text.Json;
using System.Text.RegularExpressions;

namespace CodyBatch.Core.Checks;

/// <summary>
/// Decides a repository's checks: the job's <c>checks</c> when given (an empty list means none),
/// else the repository's own <c>.codybatch/checks.json</c>, else what its files show (in a fixed
/// order, so the same tree always gets the same checks).
/// </summary>
public static partial class CheckDetector
{
    /// <summary>The repository's own checks file, relative to its root.</summary>
    public const string ChecksFile = ".codybatch/checks.json";

    /// <summary>Most checks (or setup commands) in one plan.</summary>
    public const int MaxChecks = 20;

    /// <summary>Longest check command line.</summary>
    public const int MaxCommandLength = 2_000;

    // npm init writes this test script; it is no test.
    private const string NpmPlaceholder = "no test specified";

    /// <summary>The plan for the tree at <paramref name="repositoryPath"/>.</summary>
    public static CheckPlan Plan(IReadOnlyList<string>? jobChecks, string repositoryPath)
    {
        if (jobChecks is not null)
        {
            return jobChecks.Count == 0
                ? CheckPlan.None("none: the job asked for no checks")
                : new CheckPlan { Source = "the job", Checks = [.. jobChecks.Select(c => new CheckDefinition(c, c))] };
        }

        var file = Path.Combine(repositoryPath, ".codybatch", "checks.json");
        if (File.Exists(file) && new FileInfo(file).LinkTarget is null)
        {
            return ReadFile(file);
        }

        return Detect(repositoryPath);
    }

    private static CheckPlan ReadFile(string file)
    {
        try
        {
            if (new FileInfo(file).Length > 64 * 1024)
            {
                return CheckPlan.None(ChecksFile, $"{ChecksFile} is larger than 64 KiB, so no checks ran; keep it short.");
            }

            using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("the file must hold a JSON object with \"setup\" and \"checks\"");
            }

            var setup = new List<string>();
            if (root.TryGetProperty("setup", out var setupElement))
            {
                if (setupElement.ValueKind != JsonValueKind.Array || setupElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                {
                    return Invalid("\"setup\" must be an array of command lines");
                }

                setup.AddRange(setupElement.EnumerateArray().Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0));
            }

            if (!root.TryGetProperty("checks", out var checksElement) || checksElement.ValueKind != JsonValueKind.Array)
            {
                return Invalid("\"checks\" must be an array of command lines or { \"name\", \"command\" } objects");
            }

            var checks = new List<CheckDefinition>();
            foreach (var entry in checksElement.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.String && entry.GetString()!.Trim() is { Length: > 0 } command)
                {
                    checks.Add(new CheckDefinition(command, command));
                }
                else if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String && c.GetString()!.Trim() is { Length: > 0 } text)
                {
                    var name = entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString()!.Trim() is { Length: > 0 } given ? given : text;
                    checks.Add(new CheckDefinition(name, text));
                }
                else
                {
                    return Invalid("each entry of \"checks\" must be a non-empty command line or { \"name\", \"command\" }");
                }
            }

            if (checks.Count > MaxChecks || setup.Count > MaxChecks)
            {
                return Invalid($"it may list at most {MaxChecks} checks and {MaxChecks} setup commands");
            }

            if (checks.Concat(setup.Select(s => new CheckDefinition(s, s))).Any(c => c.Command.Length > MaxCommandLength || c.Name.Length > MaxCommandLength))
            {
                return Invalid($"a command line may be at most {MaxCommandLength:N0} characters");
            }

            if (checks.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != checks.Count)
            {
                return Invalid("each check needs its own name");
            }

            return new CheckPlan { Source = ChecksFile, Setup = setup, Checks = checks };
        }
        catch (JsonException e)
        {
            return Invalid($"it is not valid JSON ({e.Message})");
        }
        catch (IOException e)
        {
            return Invalid($"it could not be read ({e.Message})");
        }
    }

    private static CheckPlan Invalid(string why) =>
        CheckPlan.None(ChecksFile, $"{ChecksFile} cannot be used, so no checks ran: {why}.");

    private static CheckPlan Detect(string root)
    {
        var found = new List<(string File, CheckDefinition Check)>();
        if (NpmTestScript(Path.Combine(root, "package.json")))
        {
            found.Add(("package.json", new CheckDefinition("npm test", "npm test")));
        }

        if (new[] { "pyproject.toml", "setup.cfg", "pytest.ini", "tox.ini" }.FirstOrDefault(f => IsFile(root, f)) is { } pythonFile
            && (pythonFile != "setup.cfg" || File.ReadAllText(Path.Combine(root, pythonFile)).Contains("[tool:pytest]", StringComparison.Ordinal))
            && (pythonFile != "tox.ini" || File.ReadAllText(Path.Combine(root, pythonFile)).Contains("[pytest]", StringComparison.Ordinal)))
        {
            found.Add((pythonFile, new CheckDefinition("pytest", "python3 -m pytest")));
        }
        else if (new[] { "tests", "test" }.FirstOrDefault(d => HasPythonTests(Path.Combine(root, d))) is { } testDirectory)
        {
            found.Add(($"{testDirectory}/", new CheckDefinition("unittest", $"python3 -m unittest discover -s {testDirectory}")));
        }
        else if (HasPythonTests(root))
        {
            found.Add(("test_*.py", new CheckDefinition("unittest", "python3 -m unittest")));
        }

        if (IsFile(root, "go.mod"))
        {
            found.Add(("go.mod", new CheckDefinition("go test", "go test ./...")));
        }

        if (IsFile(root, "Cargo.toml"))
        {
            found.Add(("Cargo.toml", new CheckDefinition("cargo test", "cargo test")));
        }

        var dotnet = Directory.EnumerateFiles(root)
            .Select(Path.GetFileName)
            .Where(f => f!.EndsWith(".sln", StringComparison.Ordinal) || f.EndsWith(".slnx", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        if (dotnet is not null)
        {
            found.Add((dotnet, new CheckDefinition("dotnet test", "dotnet test")));
        }

        if (new[] { "Makefile", "makefile", "GNUmakefile" }.FirstOrDefault(f => IsFile(root, f)) is { } makefile
            && MakeTestTarget().IsMatch(File.ReadAllText(Path.Combine(root, makefile))))
        {
            found.Add((makefile, new CheckDefinition("make test", "make test")));
        }

        return found.Count == 0
            ? CheckPlan.None("none found: no checks file, and nothing in the repository's files to detect")
            : new CheckPlan { Source = $"detected from {string.Join(", ", found.Select(f => f.File))}", Checks = [.. found.Select(f => f.Check)] };
    }

    private static bool NpmTestScript(string packageJson)
    {
        if (!File.Exists(packageJson) || new FileInfo(packageJson).Length > 1024 * 1024)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(packageJson));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("scripts", out var scripts)
                && scripts.ValueKind == JsonValueKind.Object
                && scripts.TryGetProperty("test", out var test)
                && test.ValueKind == JsonValueKind.String
                && !test.GetString()!.Contains(NpmPlaceholder, StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasPythonTests(string directory) =>
        Directory.Exists(directory)
        && Directory.EnumerateFiles(directory, "test*.py").Any(f => !File.ReadAllText(f).Contains("import pytest", StringComparison.Ordinal));

    private static bool IsFile(string root, string name) => File.Exists(Path.Combine(root, name));

    [GeneratedRegex(@"^test\s*:", RegexOptions.Multiline)]
    private static partial Regex MakeTestTarget();
}
