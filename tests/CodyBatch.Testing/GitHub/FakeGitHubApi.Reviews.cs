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
    public async Task ReviewAsync(string fullName, int number, string login, string state, string body = "", params (string Path, int Line, string Body)[] lineComments)
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
                ["body"] = body,
                ["author_association"] = _repositories[fullName].AssociationOf(login),
                ["state"] = state,
                ["html_url"] = $"{pull.Json["html_url"]}#pullrequestreview-{_nextId}",
                ["submitted_at"] = now,
                ["commit_id"] = pull.Json["head"]!["sha"]!.DeepClone(),
            };
            pull.Reviews.Add(review);
            foreach (var (path, line, text) in lineComments)
            {
                LineComment(_repositories[fullName], pull, login, path, line, text, review["id"]!.GetValue<long>());
            }

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

    /// <summary>A comment on the pull request's conversation by <paramref name="login"/>; GitHub sends <c>issue_comment</c>.</summary>
    public Task CommentAsync(string fullName, int number, string login, string body)
    {
        var pull = Find(fullName, number);
        _comments.Add((fullName, number, body));
        return IssueCommentEventAsync(pull, login, body);
    }

    /// <summary>A comment on a line of the diff by <paramref name="login"/>; GitHub sends <c>pull_request_review_comment</c>.</summary>
    public Task ReviewCommentAsync(string fullName, int number, string login, string path, int line, string body)
    {
        var pull = Find(fullName, number);
        var comment = LineComment(_repositories[fullName], pull, login, path, line, body).DeepClone().AsObject();
        return DeliverAsync("pull_request_review_comment", new JsonObject
        {
            ["action"] = "created",
            ["comment"] = comment,
            ["pull_request"] = Pull(fullName, pull.Number),
            ["repository"] = RepositoryJson(_repositories[fullName]),
            ["sender"] = new JsonObject { ["login"] = login },
        });
    }

    private Task IssueCommentEventAsync(FakePull pull, string login, string body)
    {
        var comment = new JsonObject
        {
            ["id"] = Interlocked.Increment(ref _nextId),
            ["user"] = new JsonObject { ["login"] = login, ["type"] = login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User" },
            ["author_association"] = _repositories[pull.Repository].AssociationOf(login),
            ["body"] = body,
            ["created_at"] = Now(),
        };
        _issueComments[comment["id"]!.GetValue<long>()] = comment;
        return DeliverAsync("issue_comment", new JsonObject
        {
            ["action"] = "created",
            ["issue"] = new JsonObject
            {
                ["number"] = pull.Number,
                ["pull_request"] = new JsonObject { ["url"] = $"{BaseUrl}repos/{pull.Repository}/pulls/{pull.Number}" },
            },
            ["comment"] = comment.DeepClone(),
            ["repository"] = RepositoryJson(_repositories[pull.Repository]),
            ["sender"] = new JsonObject { ["login"] = login },
        });
    }
}
