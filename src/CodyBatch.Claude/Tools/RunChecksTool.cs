using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.Checks;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>run_checks { check? }</c>: runs the repository's configured checks (all, or the one named) in the
/// sandbox on the workspace as it is now, and answers each check's exit code, time and the end of its
/// output. It runs nothing else: the name is looked up among the configured checks. Its definition is
/// the same in every run (it is part of the job's shared cached prefix); which checks a repository has
/// and how they did on the baseline come with the repository overview.
/// </summary>
internal sealed class RunChecksTool(AgentChecks? checks, int maxResultChars)
{
    public const string Name = "run_checks";

    public static JsonObject Definition() => ToolDefinition.Of(
        Name,
        "Run the repository's own configured checks (tests, build, lint: only those, never another command) in a sandbox "
            + "without network, on the repository as it is now. Answers each check's exit code, duration and the end of its output. "
            + "Runs all checks, or the one named; the repository overview lists them and how they did before your changes. Calls are limited per run.",
        new JsonObject
        {
            ["check"] = ToolDefinition.Text("The name of one check, as the overview lists it; all checks when absent."),
        });

    /// <summary>What the overview says about the checks: which exist, how they did on the untouched repository, or why there are none.</summary>
    public static string OverviewText(AgentChecks? checks)
    {
        var text = new StringBuilder("\n\nChecks (run_checks): ");
        if (checks is null || checks.State.Plan.Checks.Count == 0)
        {
            return text.Append("none configured for this repository.\n").ToString();
        }

        if (!checks.State.CanRun)
        {
            return text.Append(CultureInfo.InvariantCulture, $"{checks.State.Plan.Checks.Count} configured, but they cannot run here: {checks.State.UnavailableReason}\n").ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"{checks.State.Plan.Source}; you may run them {checks.MaxRuns} times. How they did before your changes:\n");
        foreach (var check in checks.State.Plan.Checks)
        {
            var before = checks.State.Baseline?.FirstOrDefault(r => r.Name == check.Name);
            text.Append(CultureInfo.InvariantCulture, $"- \"{check.Name}\" (`{check.Command}`): {(before is null ? "not run" : Verdict(before))}\n");
        }

        return text.ToString();
    }

    public async Task<string> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var name = ToolInput.OptionalString(input, "check", Name) is { Length: > 0 } given ? given : null;
        if (checks is null)
        {
            throw new ToolException("This repository has no checks configured, so there is nothing to run.");
        }

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
        return text.ToString();
    }

    private static string Verdict(CheckResult result) =>
        (result.Passed ? "passed" : result.Limit ?? $"failed with exit code {result.ExitCode}")
        + string.Create(CultureInfo.InvariantCulture, $" in {result.Duration.TotalSeconds:0.0} s");
}
