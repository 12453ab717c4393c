using System.Text.RegularExpressions;

namespace CodyBatch.Core.Checks;

/// <summary>
/// Tells a command that failed because of its environment (a tool or runtime not there, a package or module not
/// installed, a registry out of reach) from one that failed on its own terms, from its exit code and output; and says
/// the cause of any failure in one line. A baseline that fails for an environment reason is <c>unavailable</c>, so that
/// <c>broke</c> and <c>fixed</c> compare only checks that really ran.
/// </summary>
public static partial class EnvironmentFailure
{
    // Longest cause line kept.
    private const int MaxCause = 300;

    /// <summary>The environment reason <paramref name="result"/> failed for, as a sentence; null when it passed or failed on its own terms.</summary>
    public static string? Reason(CheckResult result)
    {
        if (result.Passed || result.Limit is not null)
        {
            return null;
        }

        var output = result.Output;
        if (NotFound().Match(output) is { Success: true } missing)
        {
            return ToolMissing(missing.Groups["tool"].Value);
        }

        if (EnvNotFound().Match(output) is { Success: true } interpreter)
        {
            return ToolMissing(interpreter.Groups["tool"].Value);
        }

        if (result.ExitCode == 127)
        {
            return ToolMissing(result.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? result.Command);
        }

        if (Unreachable().Match(output) is { Success: true } network)
        {
            return $"a package registry or other host could not be reached ({Trim(network.Value)}); setup and checks reach only what the run's network allows (network, CodyBatch:Egress:AllowedDomains), and checks never reach any.";
        }

        if (RegistryServerError().Match(output) is { Success: true } server)
        {
            return $"a package registry answered with a server error ({Trim(server.Value)}); it says nothing about the repository, and a later run may get through.";
        }

        if (PythonModule().Match(output) is { Success: true } module)
        {
            return $"the Python module `{module.Groups["name"].Value}` is not installed; setup did not install it (add it to the repository's requirements, or give setup in .codybatch/checks.json).";
        }

        if (NodeModule().Match(output) is { Success: true } node && !node.Groups["name"].Value.StartsWith('.') && !node.Groups["name"].Value.StartsWith('/'))
        {
            return $"the Node package `{node.Groups["name"].Value}` is not installed; setup did not install it (commit a lock file, or give setup in .codybatch/checks.json).";
        }

        if (GoModule().Match(output) is { Success: true } go)
        {
            return $"a Go module is missing ({Trim(go.Value)}); setup did not download it.";
        }

        if (Runtime().Match(output) is { Success: true } runtime)
        {
            return $"the runtime the repository needs is not installed here ({Trim(runtime.Value)}); add it to a toolchain root (CodyBatch:Checks:ToolchainRoots).";
        }

        return null;
    }

    /// <summary>Why <paramref name="result"/> failed, in one line: its environment reason, its limit, or the last line of its output that says something.</summary>
    public static string? Cause(CheckResult result)
    {
        if (result.Passed)
        {
            return null;
        }

        if (result.Limit is { } limit)
        {
            return limit;
        }

        if (Reason(result) is { } reason)
        {
            return reason;
        }

        // The last line naming an error or an assertion says most; else the last line with words in it.
        var lines = result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l.Any(char.IsLetter)).ToList();
        var line = lines.LastOrDefault(l => ErrorLine().IsMatch(l)) ?? lines.LastOrDefault();
        return line is null ? null : Trim(line);
    }

    [GeneratedRegex(@"error|assert|expected|panic|exception", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    private static string ToolMissing(string tool) =>
        $"{tool} not found: no toolchain root provides it (install it on the machine, or add its folder to CodyBatch:Checks:ToolchainRoots).";

    private static string Trim(string text) => text.Length <= MaxCause ? text.Trim() : text[..MaxCause].Trim() + "…";

    // "sh: 1: mocha: not found", "bash: cargo: command not found", "/bin/sh: 2: go: not found".
    [GeneratedRegex(@"^(?:/bin/|/usr/bin/)?(?:ba|da|z)?sh: (?:line )?(?:\d+: )?(?<tool>[^\s:]+): (?:command )?not found\s*$", RegexOptions.Multiline)]
    private static partial Regex NotFound();

    // "/usr/bin/env: 'python': No such file or directory" (either quote).
    [GeneratedRegex(@"^/usr/bin/env: ['‘`]?(?<tool>[^'’`\s]+)['’`]?: No such file or directory", RegexOptions.Multiline)]
    private static partial Regex EnvNotFound();

    [GeneratedRegex(@"(getaddrinfo )?(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH)\b[^\n]*|Could not resolve host[^\n]*|Temporary failure in name resolution[^\n]*|Network is unreachable[^\n]*|Failed to establish a new connection[^\n]*|Unable to load the service index for source[^\n]*|Cody Batch egress proxy:[^\n]*|dial tcp[^\n]*connection refused[^\n]*|failed to download from [^\n]*|Couldn't connect to server[^\n]*")]
    private static partial Regex Unreachable();

    // npm ("npm error 503 Service Unavailable - GET …"), pip ("HTTP error 503 while getting …"),
    // NuGet ("Response status code does not indicate success: 503 …").
    [GeneratedRegex(@"npm (?:error|ERR!) 5\d\d [^\n]*|HTTP error 5\d\d while getting[^\n]*|Response status code does not indicate success: 5\d\d[^\n]*")]
    private static partial Regex RegistryServerError();

    [GeneratedRegex(@"ModuleNotFoundError: No module named '(?<name>[^'.]+)")]
    private static partial Regex PythonModule();

    [GeneratedRegex(@"Cannot find (?:module|package) '(?<name>[^']+)'")]
    private static partial Regex NodeModule();

    [GeneratedRegex(@"(no required module provides package|cannot find module providing package|missing go\.sum entry)[^\n]*")]
    private static partial Regex GoModule();

    [GeneratedRegex(@"(A compatible \.NET SDK was not found|You must install or update \.NET to run this application|The framework '[^']+', version '[^']+' \([^)]*\) was not found|requires Python [^\n]* but the running Python is)[^\n]*")]
    private static partial Regex Runtime();
}
