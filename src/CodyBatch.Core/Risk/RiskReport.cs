using System.Text;

namespace CodyBatch.Core.Risk;

/// <summary>What <see cref="RiskScanner"/> found in a change.</summary>
/// <param name="Secrets">Added lines that look like a secret; such a change is never pushed.</param>
/// <param name="Flags">Files whose change needs a careful review (CI, lock files, manifests, Dockerfiles, git hooks).</param>
public sealed record RiskReport(IReadOnlyList<RiskFinding> Secrets, IReadOnlyList<RiskFinding> Flags)
{
    /// <summary>The label flagged pull requests carry.</summary>
    public const string ReviewLabel = "codybatch:review-carefully";

    /// <summary>Nothing found.</summary>
    public static RiskReport None { get; } = new([], []);

    /// <summary>True when the change adds something that looks like a secret.</summary>
    public bool HasProbableSecret => Secrets.Count > 0;

    /// <summary>True when the change must be reviewed with care.</summary>
    public bool IsFlagged => Flags.Count > 0;

    /// <summary>The notice of a run whose change was kept back because of a probable secret.</summary>
    public string SecretNotice()
    {
        var shown = string.Join("; ", Secrets.Take(3).Select(s => s.Describe()));
        var more = Secrets.Count > 3 ? $" and {Secrets.Count - 3} more" : "";
        return $"No pull request: the change adds what looks like a secret ({shown}{more}), so nothing was pushed; the patch is here to review — remove the secret before applying it.";
    }

    /// <summary>The "why this is flagged" section of a flagged pull request's body (markdown).</summary>
    public string WhyFlaggedSection()
    {
        var text = new StringBuilder("## Why this is flagged\n\n");
        text.Append($"Cody Batch opened this pull request as a draft with the `{ReviewLabel}` label because the change touches files that decide what runs and what gets installed:\n\n");
        foreach (var flag in Flags.Take(50))
        {
            text.Append($"- {flag.Kind}: `{flag.Path.Replace("`", "'", StringComparison.Ordinal)}`\n");
        }

        if (Flags.Count > 50)
        {
            text.Append($"- and {Flags.Count - 50} more\n");
        }

        text.Append("\nReview these files with care before marking it ready and merging.\n");
        return text.ToString();
    }
}
