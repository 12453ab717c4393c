using System.Globalization;
using CodyBatch.Core.Checks;

namespace CodyBatch.Core.PullRequests;

/// <summary>Turns a run's verification into what is published on its pull request's head.</summary>
public static class VerificationReports
{
    /// <summary>The name of the commit status (its context) and of the check run.</summary>
    public const string Name = "codybatch/verification";

    /// <summary>GitHub's limit for a commit status description.</summary>
    public const int MaxDescription = 140;

    /// <summary>GitHub's limit for a check run's <c>output.summary</c>.</summary>
    public const int MaxSummary = 65_535;

    /// <summary>
    /// The report for <paramref name="verification"/>; null when there is nothing to say about the head
    /// (no checks ran: skipped, or unavailable here).
    /// </summary>
    public static VerificationReport? For(Verification? verification, string? publicUrl, string jobId)
    {
        if (verification is null || verification.Status is VerificationStatus.Skipped or VerificationStatus.Unavailable)
        {
            return null;
        }

        var total = verification.Checks.Count;
        var failingAfter = verification.Checks.Count(c => c.After?.Passed != true);
        var fixedCount = verification.Checks.Count(c => c.Before?.Passed != true && c.After?.Passed == true);
        var broken = verification.BrokenChecks().Select(c => c.Name).ToList();
        var (state, description) = verification.Status switch
        {
            VerificationStatus.Passed => ("success", Invariant($"Checks pass before and after the change ({total} of {total}).")),
            VerificationStatus.Fixed => ("success", Invariant($"Fixed: {fixedCount} of {total} checks failing before the change pass after it; nothing newly broken.")),
            VerificationStatus.Broke => ("failure", $"Broke: {string.Join(", ", broken)} passed before the change and {(broken.Count == 1 ? "fails" : "fail")} after it."),
            _ => ("failure", Invariant($"{failingAfter} of {total} checks fail after the change and failed before it; nothing newly broken.")),
        };
        var summary = VerificationMarkdown.Section(verification);
        if (summary.Length > MaxSummary)
        {
            const string Cut = "\n\n(cut: the full table is on the run in Cody Batch)";
            summary = summary[..(MaxSummary - Cut.Length)] + Cut;
        }

        var details = Uri.TryCreate(publicUrl, UriKind.Absolute, out var root) ? $"{root.ToString().TrimEnd('/')}/jobs/{jobId}" : null;
        return new VerificationReport(state, Shorten(description.ReplaceLineEndings(" ")), summary, details);
    }

    // Repository-chosen check names may be long: the description is cut to GitHub's limit.
    private static string Shorten(string text) => text.Length <= MaxDescription ? text : text[..(MaxDescription - 1)] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
