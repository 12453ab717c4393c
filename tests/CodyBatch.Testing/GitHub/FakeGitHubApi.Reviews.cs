using System.Text.Json.Nodes;

namespace CodyBatch.Testing.GitHub;

/// <summary>
/// Review requests, reviews and issue comments on pull requests; a review updates the pull request
/// and goes out as the <c>pull_request_review</c> webhook, as on GitHub.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly Recorded<(string Repository, int Number, string Body)> _comments = new();

    /// <summary>Comments left on issues and pull requests.</summary>
    public IReadOnlyList<(string Repository, int Number, string Body)> Comments => _comments.Snapshot();

    /// <summary>Asks <paramref name="logins"/> to review.</summary>
    public Task RequestReviewersAsync(string fullName, int number, params string[] logins)
    {
        var pull = Find(fullName, number);
        lock (_pulls)
        {
            var requested = pull.Json["requested_reviewers"]!.AsArray();
            foreach (var login in logins)
            {
                requested.Add(new JsonObject { ["login"] = login, ["type"] = "User" });
            }

            pull.Json["updated_at"] = Now();
        }

        return PullRequestEventAsync(pull, "review_requested");
    }

    /// <summary>Submits a review: <c>APPROVED</c>, <c>CHANGES_REQUESTED</c> or <c>COMMENTED</c>. Like on GitHub it updates the pull request.</summary>
    public async Task ReviewAsync(string fullName, int number, string login, string state)
    {
        var pull = Find(fullName, number);
        JsonObject review;
        lock (_pulls)
        {
            var now = Now();
            review = new JsonObject
            {
                ["id"] = Interlocked.Increment(ref _nextId),
                ["user"] = new JsonObject { ["login"] = login, ["type"] = "User" },
                ["body"] = "",
                ["state"] = state,
                ["html_url"] = $"{pull.Json["html_url"]}#pullrequestreview-{_nextId}",
                ["submitted_at"] = now,
                ["commit_id"] = pull.Json["head"]!["sha"]!.DeepClone(),
            };
            pull.Reviews.Add(review);
            var requested = pull.Json["requested_reviewers"]!.AsArray();
            foreach (var item in requested.Where(r => r!["login"]!.GetValue<string>() == login).ToList())
            {
                requested.Remove(item);
            }

            pull.Json["updated_at"] = now;
        }

        var hook = review.DeepClone().AsObject();
        hook["state"] = state.ToLowerInvariant();
        await DeliverAsync("pull_request_review", new JsonObject
        {
            ["action"] = "submitted",
            ["review"] = hook,
            ["pull_request"] = Pull(fullName, number),
            ["repository"] = RepositoryJson(_repositories[fullName]),
            ["sender"] = new JsonObject { ["login"] = login },
        });
        await AutoMergeAsync(fullName, review["commit_id"]!.GetValue<string>());
    }
}
