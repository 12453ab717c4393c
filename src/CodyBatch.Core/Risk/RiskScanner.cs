using System.Globalization;
using System.Text.RegularExpressions;

namespace CodyBatch.Core.Risk;

/// <summary>
/// Reads a git unified diff and flags, deterministically, what needs care before it is published:
/// added lines that look like secrets (known token prefixes, private key headers, high-entropy
/// values assigned to names), and changes to CI workflows, lock files, dependency manifests,
/// Dockerfiles and git hooks. Only the added side of text hunks is read for secrets; paths of
/// every changed, added, deleted or renamed file count for flags.
/// </summary>
public static partial class RiskScanner
{
    private static readonly (string Kind, Regex Pattern)[] TokenPatterns =
    [
        ("AWS access key ID", AwsKeyRegex()),
        ("GitHub token", GitHubTokenRegex()),
        ("GitHub fine-grained token", GitHubPatRegex()),
        ("Slack token", SlackRegex()),
        ("Anthropic API key", AnthropicRegex()),
        ("OpenAI API key", OpenAiRegex()),
        ("Stripe live key", StripeRegex()),
        ("Google API key", GoogleRegex()),
        ("private key", PrivateKeyRegex()),
    ];

    private static readonly HashSet<string> LockFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock", "Gemfile.lock", "Cargo.lock",
        "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "composer.lock", "go.sum", "packages.lock.json", "mix.lock", "Podfile.lock",
        "Package.resolved", "flake.lock", "gradle.lockfile", "pubspec.lock", "conan.lock", "deno.lock",
    };

    private static readonly HashSet<string> Manifests = new(StringComparer.OrdinalIgnoreCase)
    {
        "package.json", "pyproject.toml", "Pipfile", "setup.py", "setup.cfg", "Gemfile", "Cargo.toml", "go.mod", "pom.xml", "build.gradle",
        "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "Directory.Packages.props", "Directory.Build.props", "packages.config",
        "nuget.config", "global.json", "composer.json", "mix.exs", "Package.swift", "Podfile", "pubspec.yaml", "deno.json", "vcpkg.json",
        "conanfile.txt", "conanfile.py", ".npmrc", ".yarnrc.yml", "pnpm-workspace.yaml",
    };

    private static readonly string[] ManifestExtensions = [".csproj", ".fsproj", ".vbproj", ".gemspec", ".cabal", ".nuspec"];

    private static readonly HashSet<string> CiFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        ".gitlab-ci.yml", "azure-pipelines.yml", "azure-pipelines.yaml", "Jenkinsfile", ".travis.yml", "bitbucket-pipelines.yml",
        ".drone.yml", "appveyor.yml", ".appveyor.yml", "cloudbuild.yaml", "cloudbuild.yml", "buildspec.yml",
    };

    private static readonly string[] CiFolders = [".github/workflows/", ".github/actions/", ".circleci/", ".buildkite/", ".gitlab/ci/"];

    private static readonly HashSet<string> HookFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml", ".huskyrc", ".huskyrc.json",
    };

    private static readonly string[] HookFolders = [".githooks/", ".husky/", ".git-hooks/", "git-hooks/"];

    /// <summary>Scans <paramref name="patch"/> (a git unified diff); the same patch always gives the same report.</summary>
    public static RiskReport Scan(string patch)
    {
        var secrets = new List<RiskFinding>();
        var paths = new List<string>();
        string? current = null;
        var line = 0;
        var inHunk = false;
        foreach (var raw in patch.Split('\n'))
        {
            var text = raw.TrimEnd('\r');
            if (text.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                inHunk = false;
                current = PathOfDiffLine(text);
                if (current is not null)
                {
                    paths.Add(current);
                }

                continue;
            }

            if (!inHunk && text.StartsWith("+++ ", StringComparison.Ordinal))
            {
                current = StripSide(text[4..]) ?? current;
                continue;
            }

            if (!inHunk && (text.StartsWith("rename from ", StringComparison.Ordinal) || text.StartsWith("rename to ", StringComparison.Ordinal)
                || text.StartsWith("--- ", StringComparison.Ordinal)))
            {
                var side = text.StartsWith("--- ", StringComparison.Ordinal) ? StripSide(text[4..]) : Unquote(text[(text.IndexOf(' ', 7) + 1)..]);
                if (side is not null)
                {
                    paths.Add(side);
                }

                continue;
            }

            if (text.StartsWith("@@ ", StringComparison.Ordinal))
            {
                inHunk = true;
                var match = HunkRegex().Match(text);
                line = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 1;
                continue;
            }

            if (!inHunk)
            {
                continue;
            }

            if (text.StartsWith('+'))
            {
                if (SecretIn(text[1..]) is { } kind && current is not null)
                {
                    secrets.Add(new RiskFinding(kind, current, line));
                }

                line++;
            }
            else if (text.StartsWith(' '))
            {
                line++;
            }
        }

        var flags = paths.Distinct(StringComparer.Ordinal).Select(p => FlagOf(p) is { } kind ? new RiskFinding(kind, p) : null).OfType<RiskFinding>().ToList();
        return new RiskReport(secrets, flags);
    }

    /// <summary>What kind of secret <paramref name="line"/> seems to hold, or null.</summary>
    public static string? SecretIn(string line)
    {
        foreach (var (kind, pattern) in TokenPatterns)
        {
            if (pattern.IsMatch(line))
            {
                return kind;
            }
        }

        foreach (Match assignment in AssignmentRegex().Matches(line))
        {
            var name = assignment.Groups["name"].Value;
            var value = assignment.Groups["value"].Value;
            var secretName = SecretNameRegex().IsMatch(name);
            if (LooksRandom(value, secretName))
            {
                return secretName ? $"high-entropy value assigned to {Shorten(name)}" : "high-entropy value in an assignment";
            }
        }

        return null;
    }

    /// <summary>Why a change to <paramref name="path"/> needs care, or null.</summary>
    public static string? FlagOf(string path)
    {
        var normalized = path.Replace('\\', '/');
        var name = normalized[(normalized.LastIndexOf('/') + 1)..];
        if (CiFolders.Any(f => normalized.StartsWith(f, StringComparison.OrdinalIgnoreCase) || normalized.Contains("/" + f, StringComparison.OrdinalIgnoreCase))
            || CiFiles.Contains(name))
        {
            return "CI workflow";
        }

        if (HookFiles.Contains(name) || HookFolders.Any(f => normalized.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
        {
            return "git hook";
        }

        if (LockFiles.Contains(name))
        {
            return "lock file";
        }

        if (Manifests.Contains(name) || ManifestExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            || RequirementsRegex().IsMatch(name))
        {
            return "dependency manifest";
        }

        if (name.Equals("Dockerfile", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".dockerfile", StringComparison.OrdinalIgnoreCase) || name.Equals("Containerfile", StringComparison.OrdinalIgnoreCase)
            || ComposeRegex().IsMatch(name))
        {
            return "Dockerfile";
        }

        return null;
    }

    /// <summary>Shannon entropy of <paramref name="value"/> in bits per character.</summary>
    public static double Entropy(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        return value.GroupBy(c => c).Sum(g =>
        {
            var p = (double)g.Count() / value.Length;
            return -p * Math.Log2(p);
        });
    }

    // A value named like a secret needs less to count as random than one assigned to any name.
    // Hex digests (shas, hashes) stay under the bar: hex has at most 4 bits per character.
    private static bool LooksRandom(string value, bool secretName)
    {
        var classes = (value.Any(char.IsAsciiLetterLower) ? 1 : 0) + (value.Any(char.IsAsciiLetterUpper) ? 1 : 0) + (value.Any(char.IsAsciiDigit) ? 1 : 0);
        return secretName
            ? value.Length >= 16 && classes >= 2 && Entropy(value) >= 3.5 && !value.Contains("${", StringComparison.Ordinal)
            : value.Length >= 32 && classes == 3 && Entropy(value) >= 4.5;
    }

    private static string? PathOfDiffLine(string line)
    {
        // "diff --git a/x b/x": the b side, when the two sides are the same length and unquoted.
        var rest = line["diff --git ".Length..];
        if (rest.StartsWith('"'))
        {
            var end = rest.IndexOf("\" ", StringComparison.Ordinal);
            return end > 0 ? StripSide(rest[(end + 2)..]) : null;
        }

        var half = (rest.Length - 1) / 2;
        return rest.Length % 2 == 1 && rest[half] == ' ' ? StripSide(rest[(half + 1)..]) : StripSide(rest[(rest.LastIndexOf(" b/", StringComparison.Ordinal) + 1)..]);
    }

    private static string? StripSide(string side)
    {
        side = Unquote(side.Trim());
        if (side == "/dev/null")
        {
            return null;
        }

        return side.StartsWith("a/", StringComparison.Ordinal) || side.StartsWith("b/", StringComparison.Ordinal) ? side[2..] : side;
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text.StartsWith('"') && text.EndsWith('"') ? Regex.Unescape(text[1..^1]) : text;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^@@ -\d+(?:,\d+)? \+(\d+)")]
    private static partial Regex HunkRegex();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsKeyRegex();

    [GeneratedRegex(@"\bgh[pousr]_[A-Za-z0-9]{36,}\b")]
    private static partial Regex GitHubTokenRegex();

    [GeneratedRegex(@"\bgithub_pat_[A-Za-z0-9_]{22,}")]
    private static partial Regex GitHubPatRegex();

    [GeneratedRegex(@"\bxox[abposre]-[A-Za-z0-9-]{10,}")]
    private static partial Regex SlackRegex();

    [GeneratedRegex(@"\bsk-ant-[A-Za-z0-9_-]{20,}")]
    private static partial Regex AnthropicRegex();

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20}T3BlbkFJ[A-Za-z0-9_-]{20}|\bsk-proj-[A-Za-z0-9_-]{40,}")]
    private static partial Regex OpenAiRegex();

    [GeneratedRegex(@"\b[rs]k_live_[A-Za-z0-9]{20,}")]
    private static partial Regex StripeRegex();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_-]{35}\b")]
    private static partial Regex GoogleRegex();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")]
    private static partial Regex PrivateKeyRegex();

    // name = "value", name: 'value', name := value, "name": "value", NAME=value
    [GeneratedRegex(@"[""']?(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})[""']?\s*(?::=|=>|=|:)\s*[""'`]?(?<value>[A-Za-z0-9+/=_\-.~]{16,})[""'`]?")]
    private static partial Regex AssignmentRegex();

    [GeneratedRegex(@"(?i)(secret|token|passw|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth|signing[_-]?key|client[_-]?secret)")]
    private static partial Regex SecretNameRegex();

    [GeneratedRegex(@"^requirements(?:[-_.][A-Za-z0-9_-]+)?\.(?:txt|in)$", RegexOptions.IgnoreCase)]
    private static partial Regex RequirementsRegex();

    [GeneratedRegex(@"^(?:docker-)?compose(?:[-.][A-Za-z0-9_-]+)?\.ya?ml$", RegexOptions.IgnoreCase)]
    private static partial Regex ComposeRegex();
}
