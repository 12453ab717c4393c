using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.Risk;
using CodyBatch.GitHub.Api;
using Octokit;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// What a pull request gets after it is opened: labels (a missing one is created; one that cannot be
/// is left off), review requests (users and teams; ones GitHub refuses are named) and assignees
/// (GitHub silently drops ones it cannot assign; those are named too). None of it fails the run:
/// each problem becomes a sentence for the run's notice.
/// </summary>
internal sealed class PullRequestDecorator(GitHubCalls calls)
{
    /// <summary>Applies <paramref name="settings"/> to pull request <paramref name="number"/>; returns what the user should know.</summary>
    public async Task<List<string>> DecorateAsync(IGitHubClient client, string owner, string name, int number, PublishSettings settings, CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        if (settings.Labels.Count > 0)
        {
            await LabelAsync(client, owner, name, number, settings.Labels, notices, cancellationToken);
        }

        if (settings.Reviewers.Count + settings.TeamReviewers.Count > 0)
        {
            await RequestReviewsAsync(client, owner, name, number, settings, notices, cancellationToken);
        }

        if (settings.Assignees.Count > 0)
        {
            var issue = await calls.WriteAsync(
                "assign the pull request",
                () => client.Issue.Assignee.AddAssignees(owner, name, number, new AssigneesUpdate([.. settings.Assignees])),
                cancellationToken);
            var dropped = settings.Assignees.Where(a => !(issue.Assignees ?? []).Any(x => string.Equals(x.Login, a, StringComparison.OrdinalIgnoreCase))).ToList();
            if (dropped.Count > 0)
            {
                notices.Add($"GitHub did not assign {Names(dropped)}: only people with access to {owner}/{name} can be assigned.");
            }
        }

        return notices;
    }

    private async Task LabelAsync(IGitHubClient client, string owner, string name, int number, IReadOnlyList<string> labels, List<string> notices, CancellationToken cancellationToken)
    {
        var usable = new List<string>();
        var skipped = new List<string>();
        foreach (var label in labels)
        {
            try
            {
                await calls.ReadAsync($"look up the label {label}", () => client.Issue.Labels.Get(owner, name, label), cancellationToken);
                usable.Add(label);
                continue;
            }
            catch (NotFoundException)
            {
                // Created below.
            }

            try
            {
                var description = label == RiskReport.ReviewLabel ? "Cody Batch flagged this change for a careful review" : "Added by Cody Batch";
                await calls.WriteAsync($"create the label {label}", () => client.Issue.Labels.Create(owner, name, new NewLabel(label, ColorOf(label)) { Description = description }), cancellationToken);
                usable.Add(label);
            }
            catch (ApiValidationException e) when (e.ApiError?.Errors?.Any(d => d.Code == "already_exists") ?? false)
            {
                // Created by someone else in between.
                usable.Add(label);
            }
            catch (Exception e) when (e is ForbiddenException or ApiValidationException or NotFoundException)
            {
                skipped.Add(label);
            }
        }

        if (usable.Count > 0)
        {
            await calls.WriteAsync("label the pull request", () => client.Issue.Labels.AddToIssue(owner, name, number, [.. usable]), cancellationToken);
        }

        if (skipped.Count > 0)
        {
            notices.Add($"{Names(skipped)} {(skipped.Count == 1 ? "is" : "are")} not a label in {owner}/{name} and the service account may not create labels there, so the pull request goes without {(skipped.Count == 1 ? "it" : "them")}.");
        }
    }

    private async Task RequestReviewsAsync(IGitHubClient client, string owner, string name, int number, PublishSettings settings, List<string> notices, CancellationToken cancellationToken)
    {
        try
        {
            await calls.WriteAsync(
                "request reviews", () => client.PullRequest.ReviewRequest.Create(owner, name, number, new PullRequestReviewRequest([.. settings.Reviewers], [.. settings.TeamReviewers])), cancellationToken);
            return;
        }
        catch (ApiValidationException)
        {
            // One of them is refused, and GitHub does not say which: asked one by one, so the others still are.
        }

        var refused = new List<string>();
        var requests = settings.Reviewers.Select(r => (Name: r, Request: new PullRequestReviewRequest([r], [])))
            .Concat(settings.TeamReviewers.Select(t => (Name: $"team {t}", Request: new PullRequestReviewRequest([], [t]))));
        foreach (var (reviewer, request) in requests)
        {
            try
            {
                await calls.WriteAsync($"request a review from {reviewer}", () => client.PullRequest.ReviewRequest.Create(owner, name, number, request), cancellationToken);
            }
            catch (ApiValidationException)
            {
                refused.Add(reviewer);
            }
        }

        if (refused.Count > 0)
        {
            notices.Add($"GitHub refused a review request for {Names(refused)}: reviewers must be collaborators of {owner}/{name} (teams of its organization) and not the pull request's author.");
        }
    }

    // A stable colour per label, so the same label looks the same in every repository.
    private static string ColorOf(string label) =>
        label == RiskReport.ReviewLabel ? "d93f0b" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(label)))[..6].ToLowerInvariant();

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}
