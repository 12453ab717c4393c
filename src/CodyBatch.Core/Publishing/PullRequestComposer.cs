using System.Text;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Risk;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Publishing;

/// <summary>
/// Decides whether a change is published and writes the pull request: the job's settings, made a
/// draft with the <see cref="RiskReport.ReviewLabel"/> label when the change is risky; a body that
/// follows the repository's template, then why it is flagged, then the prompt and the job's link.
/// A change that adds a probable secret is never published.
/// </summary>
public sealed class PullRequestComposer(IOptions<CodyBatchOptions> options)
{
    /// <summary>
    /// Whether <paramref name="patch"/> becomes a pull request for <paramref name="job"/> on
    /// <paramref name="resolved"/>; <paramref name="publishRequested"/> when a user asked to publish a
    /// patch-only run as a pull request.
    /// </summary>
    public PublishDecision Decide(Job job, ResolvedRepository resolved, string patch, bool publishRequested = false)
    {
        if (patch.Length == 0 || (job.Mode != JobMode.PullRequest && !publishRequested))
        {
            return new PublishDecision(false, null, RiskReport.None);
        }

        var risk = RiskScanner.Scan(patch);
        if (risk.HasProbableSecret)
        {
            return new PublishDecision(false, risk.SecretNotice(), risk);
        }

        if (!resolved.CanPublish)
        {
            return new PublishDecision(false, $"No pull request: the service account may not push to {resolved.FullName}, so the change is here as a patch only.", risk);
        }

        return new PublishDecision(true, null, risk);
    }

    /// <summary>
    /// The pull request to open for a change that <see cref="Decide"/> let through. It must be a draft
    /// (<see cref="PublishRequest.Draft"/>) when it is flagged as risky, when it broke a check
    /// (<paramref name="verification"/>), or when the run is <paramref name="incomplete"/> (the agent
    /// ran out of budget); a draft the job merely asks for stays in its settings.
    /// </summary>
    public PublishRequest Compose(
        Job job,
        AgentResult result,
        ResolvedRepository resolved,
        string patch,
        string workspacePath,
        IReadOnlyList<WorkspaceChange> changes,
        RiskReport risk,
        bool incomplete = false,
        Verification? verification = null)
    {
        var settings = job.Publish;
        if (risk.IsFlagged)
        {
            settings = settings with
            {
                Labels = settings.Labels.Contains(RiskReport.ReviewLabel, StringComparer.OrdinalIgnoreCase) ? settings.Labels : [.. settings.Labels, RiskReport.ReviewLabel],
            };
        }

        return new PublishRequest(
            job.Id,
            resolved,
            workspacePath,
            patch,
            (incomplete ? "[Incomplete] " : "") + (result.PullRequestTitle ?? job.Title ?? FirstLine(job.Prompt)),
            Body(job, result, workspacePath, risk, incomplete, verification),
            changes,
            Draft: risk.IsFlagged || incomplete || verification?.Status == VerificationStatus.Broke)
        {
            Settings = settings,
        };
    }

    private string Body(Job job, AgentResult result, string workspacePath, RiskReport risk, bool incomplete, Verification? verification)
    {
        var agentBody = (result.PullRequestBody ?? result.Summary).Trim();
        var body = new StringBuilder();
        if (incomplete)
        {
            body.Append("> [!WARNING]\n> Incomplete: the agent ran out of its budget before it finished. This draft holds the changes made until then; review them with care.\n\n");
        }

        body.Append(PullRequestTemplate.Find(workspacePath) is { } template ? PullRequestTemplate.Fill(template.Text, agentBody).TrimEnd() : agentBody);
        if (verification is not null && verification.Status != VerificationStatus.Skipped)
        {
            body.Append("\n\n").Append(VerificationMarkdown.Section(verification).TrimEnd());
        }

        if (risk.IsFlagged)
        {
            body.Append("\n\n").Append(risk.WhyFlaggedSection().TrimEnd());
        }

        body.Append("\n\n---\n\nMade by Cody Batch for this prompt:\n\n");
        foreach (var line in job.Prompt.Split('\n'))
        {
            body.Append("> ").Append(line.TrimEnd('\r')).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(options.Value.PublicUrl))
        {
            body.Append($"\nJob: {options.Value.PublicUrl.TrimEnd('/')}/jobs/{job.Id}\n");
        }

        return body.ToString();
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 72 ? line : line[..71] + "…";
    }
}
