using System.Text.Json;
using System.Text.RegularExpressions;
using CodyBatch.Core.Workspaces.Confined;

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

    // Detection reads only the head of what it looks at; nothing bigger than this is a build file.
    private const int MaxDetectBytes = 1024 * 1024;

    /// <summary>
    /// The plan for the tree at <paramref name="repositoryPath"/>. When neither the job nor the checks file gives setup
    /// (a checks file gives it by having a <c>setup</c> entry, even an empty one), setup is detected from lock files:
    /// when there are checks, or, with <paramref name="setupWithoutChecks"/> (the run has a shell), also when there are none.
    /// </summary>
    public static CheckPlan Plan(IReadOnlyList<string>? jobChecks, string repositoryPath, bool setupWithoutChecks = false)
    {
        // Everything is read through the confined walk: a link that leaves the repository, a device or a FIFO
        // is refused (never opened), and reads are bounded by the bytes read.
        var tree = new RepositoryFiles(new ConfinedDirectory(repositoryPath, LinkPolicy.FollowInside));
        var givesSetup = false;
        var plan = jobChecks is not null
            ? jobChecks.Count == 0
                ? CheckPlan.None("none: the job asked for no checks")
                : new CheckPlan { Source = "the job", Checks = [.. jobChecks.Select(c => new CheckDefinition(c, c))] }
            : tree.Exists(ChecksFile) ? ReadFile(tree, out givesSetup) : Detect(tree);
        if ((plan.Checks.Count == 0 && !setupWithoutChecks) || givesSetup || plan.Setup.Count > 0)
        {
            return plan;
        }

        var (setup, source) = SetupDetector.Detect(tree);
        return setup.Count == 0 ? plan : plan with { Setup = setup, SetupSource = source };
    }

    private static CheckPlan ReadFile(RepositoryFiles tree, out bool givesSetup)
    {
        givesSetup = false;
        try
        {
            var content = tree.Read(ChecksFile, 64 * 1024, out var refusal);
            if (refusal is not null)
            {
                return Invalid(refusal.TrimEnd('.'));
            }

            if (content is null)
            {
                return CheckPlan.None(ChecksFile, $"{ChecksFile} is larger than 64 KiB, so no checks ran; keep it short.");
            }

            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("the file must hold a JSON object with \"setup\" and \"checks\"");
            }

            var setup = new List<string>();
            if (root.TryGetProperty("setup", out var setupElement))
            {
                givesSetup = true;
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

            var alwaysInstall = false;
            if (root.TryGetProperty("alwaysInstall", out var always))
            {
                if (always.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Invalid("\"alwaysInstall\" must be true or false");
                }

                alwaysInstall = always.GetBoolean();
            }

            return new CheckPlan { Source = ChecksFile, Setup = setup, Checks = checks, AlwaysInstall = alwaysInstall };
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

    private static CheckPlan Detect(RepositoryFiles root)
    {
        var found = new List<(string File, CheckDefinition Check)>();
        if (NpmTestScript(root))
        {
            found.Add(("package.json", new CheckDefinition("npm test", "npm test")));
        }

        if (new[] { "pyproject.toml", "setup.cfg", "pytest.ini", "tox.ini" }.FirstOrDefault(root.IsFile) is { } pythonFile
            && (pythonFile != "setup.cfg" || root.Contains(pythonFile, "[tool:pytest]"))
            && (pythonFile != "tox.ini" || root.Contains(pythonFile, "[pytest]")))
        {
            found.Add((pythonFile, new CheckDefinition("pytest", "python3 -m pytest")));
        }
        else if (new[] { "tests", "test" }.FirstOrDefault(d => HasPythonTests(root, d)) is { } testDirectory)
        {
            found.Add(($"{testDirectory}/", new CheckDefinition("unittest", $"python3 -m unittest discover -s {testDirectory}")));
        }
        else if (HasPythonTests(root, ""))
        {
            found.Add(("test_*.py", new CheckDefinition("unittest", "python3 -m unittest")));
        }

        if (root.IsFile("go.mod"))
        {
            found.Add(("go.mod", new CheckDefinition("go test", "go test ./...")));
        }

        if (root.IsFile("Cargo.toml"))
        {
            found.Add(("Cargo.toml", new CheckDefinition("cargo test", "cargo test")));
        }

        var dotnet = root.Files("")
            .Where(f => f.EndsWith(".sln", StringComparison.Ordinal) || f.EndsWith(".slnx", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        if (dotnet is not null)
        {
            found.Add((dotnet, new CheckDefinition("dotnet test", "dotnet test")));
        }

        if (new[] { "Makefile", "makefile", "GNUmakefile" }.FirstOrDefault(root.IsFile) is { } makefile
            && root.Read(makefile, MaxDetectBytes, out _) is { } make && MakeTestTarget().IsMatch(make))
        {
            found.Add((makefile, new CheckDefinition("make test", "make test")));
        }

        if (found.Count > 0)
        {
            return new CheckPlan { Source = $"detected from {string.Join(", ", found.Select(f => f.File))}", Checks = [.. found.Select(f => f.Check)] };
        }

        return root.Refusals.Count == 0
            ? CheckPlan.None("none found: no checks file, and nothing in the repository's files to detect")
            : CheckPlan.None(
                "none found: no checks file, and nothing in the repository's files to detect",
                $"Some of the repository's files were not read: {string.Join(" ", root.Refusals)}");
    }

    private static bool NpmTestScript(RepositoryFiles root)
    {
        if (!root.Exists("package.json") || root.Read("package.json", MaxDetectBytes, out _) is not { } text)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
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

    private static bool HasPythonTests(RepositoryFiles root, string directory) =>
        root.Files(directory)
            .Where(f => f.StartsWith("test", StringComparison.Ordinal) && f.EndsWith(".py", StringComparison.Ordinal))
            .Any(f => root.Read(directory.Length == 0 ? f : $"{directory}/{f}", MaxDetectBytes, out _) is { } text
                && !text.Contains("import pytest", StringComparison.Ordinal));

    [GeneratedRegex(@"^test\s*:", RegexOptions.Multiline)]
    private static partial Regex MakeTestTarget();
}
