using System.Globalization;
using System.Text;

namespace CodyBatch.Core.Checks;

/// <summary>A verification as markdown for a pull request body: the status, where the checks came from, and a table.</summary>
public static class VerificationMarkdown
{
    /// <summary>The section, starting with a heading.</summary>
    public static string Section(Verification verification)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Checks: {verification.Status.ToString().ToLowerInvariant()}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Checks: {Inline(verification.Source)}. Run by Cody Batch in a sandbox without network, on the repository before the change and after it.\n");
        if (verification.Reason is { } reason)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{Inline(reason)}\n");
        }

        if (verification.Checks.Count > 0)
        {
            text.Append("\n| check | before | after |\n| --- | --- | --- |\n");
            foreach (var check in verification.Checks)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {Code(check.Command)} | {Cell(check.Before)} | {Cell(check.After)} |\n");
            }
        }

        return text.ToString();
    }

    private static string Cell(CheckRun? run) => run switch
    {
        null => "not run",
        { Limit: { } limit } => $"❌ {Inline(limit)}",
        { ExitCode: 0 } => string.Create(CultureInfo.InvariantCulture, $"✅ passed ({run.DurationMs / 1000.0:0.0} s)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"❌ exit {run.ExitCode} ({run.DurationMs / 1000.0:0.0} s)"),
    };

    // Repository-chosen text goes into a table cell: no pipes or line breaks that would break the table.
    private static string Inline(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Code(string command) => $"`{Inline(command).Replace("`", "'", StringComparison.Ordinal)}`";
}
