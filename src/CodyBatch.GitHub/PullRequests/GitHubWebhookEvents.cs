using System.Text.Json.Nodes;
using CodyBatch.Core.PullRequests;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// What GitHub's webhook events say about pull requests: <c>pull_request</c> (state, draft, head,
/// requested reviewers), <c>pull_request_review</c> (one reviewer's review), <c>check_run</c> and
/// <c>check_suite</c> (checks of a head commit), <c>status</c> (a commit status). Other events say nothing.
/// </summary>
public static class GitHubWebhookEvents
{
    /// <summary>The events this receiver understands.</summary>
    public static IReadOnlyList<string> Understood { get; } =
        ["pull_request", "pull_request_review", "pull_request_review_comment", "issue_comment", "check_run", "check_suite", "status"];

    /// <summary>Reads one delivery's payload; null when the event says nothing about pull requests.</summary>
    public static PullRequestEvent? Parse(string eventName, JsonNode payload)
    {
        var repository = payload["repository"]?["full_name"]?.GetValue<string>();
        if (repository is null)
        {
            return null;
        }

        switch (eventName)
        {
            case "pull_request":
            {
                var pull = payload["pull_request"];
                if (pull is null)
                {
                    return null;
                }

                return new PullRequestEvent
                {
                    Repository = repository,
                    Numbers = [pull["number"]!.GetValue<int>()],
                    State = pull["merged"]?.GetValue<bool>() == true ? PullRequestState.Merged
                        : pull["state"]?.GetValue<string>() == "closed" ? PullRequestState.Closed
                        : PullRequestState.Open,
                    Draft = pull["draft"]?.GetValue<bool>() ?? false,
                    NewHeadSha = pull["head"]?["sha"]?.GetValue<string>(),
                    SourceUpdatedAt = UpdatedAt(pull),
                    ReviewRequested = (pull["requested_reviewers"]?.AsArray().Count ?? 0) + (pull["requested_teams"]?.AsArray().Count ?? 0) > 0,
                };
            }

            case "pull_request_review":
            {
                var review = payload["review"];
                var number = payload["pull_request"]?["number"]?.GetValue<int>();
                var login = review?["user"]?["login"]?.GetValue<string>();
                var state = payload["action"]?.GetValue<string>() == "dismissed" ? "dismissed" : review?["state"]?.GetValue<string>()?.ToLowerInvariant();
                return number is null || login is null || state is null or "pending"
                    ? null
                    : new PullRequestEvent
                    {
                        Repository = repository,
                        Numbers = [number.Value],
                        Reviewer = login,
                        ReviewerState = state,
                        SourceUpdatedAt = UpdatedAt(payload["pull_request"]),
                        Round = payload["action"]?.GetValue<string>() == "submitted" ? Signal(RoundSignalKind.Review, review!, state) : null,
                    };
            }

            case "pull_request_review_comment":
            {
                var number = payload["pull_request"]?["number"]?.GetValue<int>();
                return number is null || payload["action"]?.GetValue<string>() != "created" || payload["comment"] is not { } comment
                    ? null
                    : new PullRequestEvent { Repository = repository, Numbers = [number.Value], Round = Signal(RoundSignalKind.ReviewComment, comment, null) };
            }

            case "issue_comment":
            {
                // Comments on issues come the same way; only those on a pull request (issue.pull_request set) matter here.
                var issue = payload["issue"];
                return issue?["pull_request"] is null || payload["action"]?.GetValue<string>() != "created" || payload["comment"] is not { } comment
                    ? null
                    : new PullRequestEvent { Repository = repository, Numbers = [issue["number"]!.GetValue<int>()], Round = Signal(RoundSignalKind.Comment, comment, null) };
            }

            case "check_run":
            {
                var run = payload["check_run"];
                return run?["name"]?.GetValue<string>() is { } name
                    ? new PullRequestEvent
                    {
                        Repository = repository,
                        HeadSha = run["head_sha"]?.GetValue<string>(),
                        Numbers = Numbers(run["pull_requests"]),
                        CheckName = name,
                        CheckSuiteId = run["check_suite"]?["id"]?.GetValue<long>(),
                        CheckState = GitHubPullRequestHost.CheckRunState(run["status"]?.GetValue<string>(), run["conclusion"]?.GetValue<string>()),
                    }
                    : null;
            }

            case "check_suite":
            {
                var suite = payload["check_suite"];
                if (suite is null)
                {
                    return null;
                }

                var app = suite["app"]?["slug"]?.GetValue<string>() ?? suite["id"]?.ToString() ?? "suite";
                return new PullRequestEvent
                {
                    Repository = repository,
                    HeadSha = suite["head_sha"]?.GetValue<string>(),
                    Numbers = Numbers(suite["pull_requests"]),
                    CheckName = $"suite/{app}",
                    CheckSuiteId = suite["id"]?.GetValue<long>(),
                    SuiteCompleted = suite["status"]?.GetValue<string>() == "completed",
                    CheckState = GitHubPullRequestHost.CheckRunState(suite["status"]?.GetValue<string>(), suite["conclusion"]?.GetValue<string>()),
                };
            }

            case "status":
                return payload["sha"]?.GetValue<string>() is { } sha && payload["context"]?.GetValue<string>() is { } context
                    ? new PullRequestEvent
                    {
                        Repository = repository,
                        HeadSha = sha,
                        StatusContext = context,
                        CheckState = GitHubPullRequestHost.StatusState(payload["state"]?.GetValue<string>()),
                    }
                    : null;

            default:
                return null;
        }
    }

    // A review or comment as the shepherd weighs it: its id, author, the author's association with the repository, its text.
    private static RoundSignal Signal(RoundSignalKind kind, JsonNode item, string? reviewState) => new()
    {
        Kind = kind,
        Id = item["id"]?.ToString() ?? "",
        Author = item["user"]?["login"]?.GetValue<string>(),
        AuthorAssociation = item["author_association"]?.GetValue<string>(),
        ReviewState = reviewState,
        Body = item["body"]?.GetValue<string>(),
    };

    /// <summary>A pull request's <c>updated_at</c> (ISO 8601, whole seconds, UTC); null when absent or unreadable.</summary>
    internal static DateTimeOffset? UpdatedAt(JsonNode? pull) =>
        pull?["updated_at"]?.GetValue<string>() is { } text
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    private static int[] Numbers(JsonNode? pulls) =>
        [.. (pulls?.AsArray() ?? []).Select(p => p?["number"]?.GetValue<int>()).OfType<int>()];
}
