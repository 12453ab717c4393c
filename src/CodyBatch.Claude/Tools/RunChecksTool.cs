using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.Checks;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>run_checks { check? }</c>: runs the repository's configured checks (all, or the one named) in the
/// sandbox on the workspace as it is now, and answers each check's exit code, time and the end of its
/// output. It runs nothing else: the name is looked up among the configured checks.
/// </summary>
internal sealed class RunChecksTool(AgentChecks checks, int maxResultChars)
{
    public const string Name = "run_checks";

    public static JsonObject Definition(AgentChecks checks) => new()
    {
        ["name"] = Name,
        ["description"] = "Run the repository's own checks (tests, build, lint: only the configured ones, never another command) in a sandbox "
            + "without network on the repository as it is now. Answers each check's exit code, duration and the end of its output. "
            + $"Runs all checks, or the one named. You may call it at most {checks.MaxRuns} times in this task.",
        ["input_schema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["check"] = new JsonObject
                {
                    ["type"] = "string",
                    ["description"] = "The name of one check to run; all checks when absent.",
                    ["enum"] = new JsonArray([.. checks.State.Plan.Checks.Select(c => (JsonNode)c.Name)]),
                },
            },
        },
    };

    /// <summary>What the system prompt says about the checks: which exist and how they did on the untouched repository.</summary>
    public static string SystemText(AgentChecks checks)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The repository's checks ({checks.State.Plan.Source}) run in a sandbox without network; run_checks runs them, and nothing else. ");
        text.Append("After you submit, they run again and are compared with the baseline: a check you break marks the change as broken.\n");
        text.Append("How they did on the repository before your changes:\n");
        foreach (var check in checks.State.Plan.Checks)
        {
            var before = checks.State.Baseline?.FirstOrDefault(r => r.Name == check.Name);
            text.Append(CultureInfo.InvariantCulture, $"- \"{check.Name}\" (`{check.Command}`): {(before is null ? "not run" : Verdict(before))}\n");
        }

        text.Append("Reproduce a failure with run_checks, fix it, and run the checks again before you submit.");
        return text.ToString();
    }

    public async Task<(string Content, bool IsError)> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var name = ToolInput.OptionalString(input, "check", Name) is { Length: > 0 } given ? given : null;
        IReadOnlyList<CheckResult> results;
        try
        {
            results = await checks.RunAsync(name, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or CheckSandboxUnavailableException)
        {
            throw new ToolException(e.Message);
        }

        var text = new StringBuilder();
        var perCheck = Math.Max(500, (maxResultChars - 500) / Math.Max(1, results.Count));
        foreach (var result in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"check \"{result.Name}\" (`{result.Command}`): {Verdict(result)}\n");
            var output = result.Output.TrimEnd();
            text.Append(output.Length == 0 ? "(no output)\n" : OutputTail.Last(output, perCheck) + "\n");
            text.Append('\n');
        }

        var passed = results.Count(r => r.Passed);
        text.Append(CultureInfo.InvariantCulture, $"{passed} of {results.Count} passed. run_checks used {checks.Runs} of {checks.MaxRuns} times.");
        return (text.ToString(), false);
    }

    private static string Verdict(CheckResult result) =>
        (result.Passed ? "passed" : result.Limit ?? $"failed with exit code {result.ExitCode}")
        + string.Create(CultureInfo.InvariantCulture, $" in {result.Duration.TotalSeconds:0.0} s");
}
