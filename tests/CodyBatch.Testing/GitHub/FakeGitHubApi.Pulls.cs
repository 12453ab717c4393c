namespace CodyBatch.Testing.GitHub;

/// <summary>
/// Pull requests as GitHub's REST documentation describes them: get, list (<c>head</c>, <c>state</c>),
/// update (title, body, state; a merged one cannot be reopened), reviews, issue comments, the
/// combined status and the check runs of a commit, and deleting a branch. GET answers carry an
/// <c>ETag</c>; a matching <c>If-None-Match</c> gets 304 with no body and does not count against
/// the rate limit (<c>x-ratelimit-used</c> stays). A test drives the other side — merge, close,
/// check runs, statuses, reviews, review requests — and each change goes out as the signed webhook
/// GitHub would send, when a receiver is set.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private long _nextId = 1000;

    /// <summary>The pull request as GitHub would serve it.</summary>
    public JsonObject Pull(string fullName, int number) => Find(fullName, number).Json.DeepClone().AsObject();

    /// <summary>Merges the pull request: its head becomes the base branch's head (as a fast-forward would).</summary>
    public Task MergeAsync(string fullName, int number)
    {
        var pull = Find(fullName, number);
        lock (_pulls)
        {
            var now = Now();
            pull.Json["state"] = "closed";
            pull.Json["merged"] = true;
            pull.Json["merged_at"] = now;
            pull.Json["closed_at"] = now;
            pull.Json["updated_at"] = now;
            _refs[$"{fullName}:refs/heads/{pull.Json["base"]!["ref"]!.GetValue<string>()}"] = pull.Json["head"]!["sha"]!.GetValue<string>();
        }

        return PullRequestEventAsync(pull, "closed");
    }

    /// <summary>Reopens a closed (not merged) pull request, as its "Reopen" button does; GitHub sends <c>reopened</c>.</summary>
    public Task ReopenAsync(string fullName, int number)
    {
        var pull = Find(fullName, number);
        lock (_pulls)
        {
            if (pull.Json["merged"]!.GetValue<bool>())
            {
                throw new InvalidOperationException("A merged pull request cannot be reopened.");
            }

            pull.Json["state"] = "open";
            pull.Json["closed_at"] = null;
            pull.Json["updated_at"] = Now();
        }

        return PullRequestEventAsync(pull, "reopened");
    }

    /// <summary>Closes the pull request without merging.</summary>
    public Task CloseAsync(string fullName, int number)
    {
        var pull = Find(fullName, number);
        lock (_pulls)
        {
            pull.Json["state"] = "closed";
            pull.Json["closed_at"] = Now();
            pull.Json["updated_at"] = Now();
        }

        return PullRequestEventAsync(pull, "closed");
    }

    private JsonArray PullsAt(string fullName, string sha)
    {
        lock (_pulls)
        {
            return [.. _pulls.Where(p => p.Repository == fullName && p.Json["head"]!["sha"]!.GetValue<string>() == sha)
                .Select(p => (JsonNode)new JsonObject
                {
                    ["number"] = p.Number,
                    ["head"] = new JsonObject { ["ref"] = p.Json["head"]!["ref"]!.DeepClone(), ["sha"] = sha },
                    ["base"] = new JsonObject { ["ref"] = p.Json["base"]!["ref"]!.DeepClone() },
                })];
        }
    }

    private FakePull Find(string fullName, int number)
    {
        lock (_pulls)
        {
            return _pulls.Single(p => string.Equals(p.Repository, fullName, StringComparison.OrdinalIgnoreCase) && p.Number == number);
        }
    }

    private Task PullOpenedAsync(JsonObject pull) =>
        PullRequestEventAsync(Find(pull["url"]!.GetValue<string>().Split("/repos/")[1].Split("/pulls/")[0], pull["number"]!.GetValue<int>()), "opened");

    private JsonObject AddPull(FakeGitHubRepository repository, JsonObject json, (string Repository, string Branch, string Label) head, bool draft, string login)
    {
        lock (_pulls)
        {
            var number = _pulls.Count + 1;
            var now = Now();
            var pull = new JsonObject
            {
                ["id"] = number,
                ["node_id"] = $"PR_{Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(repository.FullName))}_{number}",
                ["number"] = number,
                ["auto_merge"] = null,
                ["state"] = "open",
                ["title"] = json["title"]!.DeepClone(),
                ["body"] = json["body"]?.DeepClone(),
                ["draft"] = draft,
                ["merged"] = false,
                ["merged_at"] = null,
                ["closed_at"] = null,
                ["created_at"] = now,
                ["updated_at"] = now,
                ["user"] = new JsonObject { ["login"] = login, ["type"] = "User" },
                ["html_url"] = $"https://github.example/{repository.FullName}/pull/{number}",
                ["url"] = $"{BaseUrl}repos/{repository.FullName}/pulls/{number}",
                ["head"] = new JsonObject
                {
                    ["ref"] = head.Branch,
                    ["sha"] = Branch(head.Repository, head.Branch),
                    ["label"] = head.Label,
                    ["repo"] = new JsonObject { ["full_name"] = head.Repository },
                },
                ["base"] = new JsonObject
                {
                    ["ref"] = json["base"]!.DeepClone(),
                    ["sha"] = Branch(repository.FullName, json["base"]!.GetValue<string>()),
                    ["label"] = $"{repository.Owner}:{json["base"]}",
                    ["repo"] = new JsonObject { ["full_name"] = repository.FullName },
                },
                ["labels"] = new JsonArray(),
                ["assignees"] = new JsonArray(),
                ["requested_reviewers"] = new JsonArray(),
                ["requested_teams"] = new JsonArray(),
            };
            _pulls.Add(new FakePull(repository.FullName, pull));
            return pull;
        }
    }

    // A branch moved: an open pull request from it follows, as GitHub's "synchronize" does.
    private Task BranchMovedAsync(FakeGitHubRepository repository, string branch, string sha)
    {
        FakePull? moved;
        lock (_pulls)
        {
            moved = _pulls.FirstOrDefault(p => p.Json["head"]!["repo"]!["full_name"]!.GetValue<string>() == repository.FullName && p.Json["head"]!["ref"]!.GetValue<string>() == branch && p.Json["state"]!.GetValue<string>() == "open");
            if (moved is not null)
            {
                moved.Json["head"]!["sha"] = sha;
                moved.Json["updated_at"] = Now();
            }
        }

        return moved is null ? Task.CompletedTask : PullRequestEventAsync(moved, "synchronize");
    }

    private async Task<bool> PullRouteAsync(HttpContext context, FakeGitHubRequest request, FakeGitHubRepository repository, string[] s, JsonObject json)
    {
        switch (request.Method, s)
        {
            case ("GET", ["pulls"]):
            {
                var query = System.Web.HttpUtility.ParseQueryString(request.Query);
                var state = query["state"] ?? "open";
                if (state is not ("open" or "closed" or "all"))
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = "Validation Failed", ["errors"] = new JsonArray(new JsonObject { ["resource"] = "Issue", ["field"] = "state", ["code"] = "invalid" }) });
                    return true;
                }

                List<JsonNode> all;
                lock (_pulls)
                {
                    all = [.. _pulls.Where(p => p.Repository == repository.FullName
                            && (query["head"] is not { } head || p.Json["head"]!["label"]!.GetValue<string>() == head)
                            && (state == "all" || p.Json["state"]!.GetValue<string>() == state))
                        .OrderByDescending(p => p.Number)
                        .Select(p => (JsonNode)p.Json.DeepClone())];
                }

                // Paged as GitHub pages it: per_page (30, at most 100) and page, with the Link header.
                await ConditionalAsync(context, request, new JsonArray([.. Paginate(context, $"repos/{repository.FullName}/pulls", all)]));
                return true;
            }

            case ("GET", ["pulls", var n]) when int.TryParse(n, out var number):
                if (TryFind(repository, number) is null)
                {
                    await NotFoundAsync(context);
                    return true;
                }

                await ConditionalAsync(context, request, Pull(repository.FullName, number));
                return true;
            case ("PATCH", ["pulls", var n]) when int.TryParse(n, out var number):
                await UpdatePullAsync(context, repository, number, json);
                return true;
            case ("GET", ["pulls", var n, "reviews"]) when int.TryParse(n, out var number):
            {
                if (TryFind(repository, number) is not { } pull)
                {
                    await NotFoundAsync(context);
                    return true;
                }

                JsonArray reviews;
                lock (_pulls)
                {
                    reviews = [.. pull.Reviews.Select(r => (JsonNode)r.DeepClone())];
                }

                await ConditionalAsync(context, request, reviews);
                return true;
            }

            case ("POST", ["issues", var n, "comments"]) when int.TryParse(n, out var number):
                if (TryFind(repository, number) is null)
                {
                    await NotFoundAsync(context);
                    return true;
                }

                if (json["body"]?.GetValue<string>() is not { Length: > 0 } comment)
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = "Validation Failed", ["errors"] = new JsonArray(new JsonObject { ["resource"] = "IssueComment", ["field"] = "body", ["code"] = "missing_field" }) });
                    return true;
                }

                _comments.Add((repository.FullName, number, comment));
                await JsonAsync(context, 201, new JsonObject { ["id"] = Interlocked.Increment(ref _nextId), ["body"] = comment, ["user"] = new JsonObject { ["login"] = LoginOf(context) }, ["created_at"] = Now() });

                // As on GitHub, the account's own comment goes out as a webhook too.
                await IssueCommentEventAsync(TryFind(repository, number)!, LoginOf(context), comment);
                return true;
            case ("GET", ["commits", var sha, "status"]):
            {
                var latest = Latest(_statuses, $"{repository.FullName}@{sha}", "context");
                var states = latest.Select(x => x["state"]!.GetValue<string>()).ToList();
                var combined = states.Any(x => x is "failure" or "error") ? "failure" : states.Count == 0 || states.Contains("pending") ? "pending" : "success";
                await ConditionalAsync(context, request, new JsonObject
                {
                    ["state"] = combined,
                    ["statuses"] = new JsonArray([.. latest]),
                    ["sha"] = sha,
                    ["total_count"] = latest.Count,
                    ["repository"] = RepositoryJson(repository),
                    ["commit_url"] = $"{BaseUrl}repos/{repository.FullName}/commits/{sha}",
                });
                return true;
            }

            case ("GET", ["commits", var sha, "check-runs"]):
            {
                var runs = Latest(_checkRuns, $"{repository.FullName}@{sha}", "name");
                await ConditionalAsync(context, request, new JsonObject { ["total_count"] = runs.Count, ["check_runs"] = new JsonArray([.. runs]) });
                return true;
            }

            case ("DELETE", ["git", "refs", "heads", ..]):
                if (!repository.CanPush)
                {
                    await JsonAsync(context, 403, new JsonObject { ["message"] = "Resource not accessible by integration" });
                    return true;
                }

                if (!_refs.TryRemove($"{repository.FullName}:refs/heads/{string.Join('/', s[3..])}", out _))
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = "Reference does not exist", ["documentation_url"] = "https://docs.github.com/rest/git/refs#delete-a-reference" });
                    return true;
                }

                context.Response.StatusCode = 204;
                return true;
            case ("PATCH", ["git", "refs", "heads", ..]):
            {
                var branch = string.Join('/', s[3..]);
                var key = $"{repository.FullName}:refs/heads/{branch}";
                if (!_refs.TryGetValue(key, out var current))
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = "Reference does not exist" });
                    return true;
                }

                var sha = json["sha"]!.GetValue<string>();
                if (json["force"]?.GetValue<bool>() != true && !IsAncestor(current, sha))
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = "Update is not a fast forward", ["documentation_url"] = "https://docs.github.com/rest/git/refs#update-a-reference" });
                    return true;
                }

                _refs[key] = sha;
                await BranchMovedAsync(repository, branch, sha);
                await JsonAsync(context, 200, new JsonObject { ["ref"] = $"refs/heads/{branch}", ["object"] = new JsonObject { ["sha"] = sha, ["type"] = "commit" } });
                return true;
            }

            default:
                return false;
        }
    }

    private async Task UpdatePullAsync(HttpContext context, FakeGitHubRepository repository, int number, JsonObject json)
    {
        if (TryFind(repository, number) is not { } pull)
        {
            await NotFoundAsync(context);
            return;
        }

        string? action = null;
        lock (_pulls)
        {
            if (json["state"]?.GetValue<string>() is { } state)
            {
                if (state is not ("open" or "closed"))
                {
                    action = "invalid";
                }
                else if (state == "open" && pull.Json["merged"]!.GetValue<bool>())
                {
                    action = "merged";
                }
                else if (state != pull.Json["state"]!.GetValue<string>())
                {
                    pull.Json["state"] = state;
                    pull.Json["closed_at"] = state == "closed" ? Now() : null;
                    action = state == "closed" ? "closed" : "reopened";
                }
            }

            if (action is not ("invalid" or "merged"))
            {
                foreach (var field in new[] { "title", "body" })
                {
                    if (json.TryGetPropertyValue(field, out var value))
                    {
                        pull.Json[field] = value?.DeepClone();
                        action ??= "edited";
                    }
                }

                pull.Json["updated_at"] = Now();
            }
        }

        if (action is "invalid" or "merged")
        {
            await JsonAsync(context, 422, new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = action == "merged" ? "state cannot be changed. The pull request has been merged." : "state is not included in the list" }),
            });
            return;
        }

        await JsonAsync(context, 200, Pull(repository.FullName, number));
        if (action is not null)
        {
            await PullRequestEventAsync(pull, action);
        }
    }

    private FakePull? TryFind(FakeGitHubRepository repository, int number)
    {
        lock (_pulls)
        {
            return _pulls.FirstOrDefault(p => p.Repository == repository.FullName && p.Number == number);
        }
    }

    private bool IsAncestor(string ancestor, string sha)
    {
        for (var at = sha; ; at = _commits[at].Parents[0])
        {
            if (at == ancestor)
            {
                return true;
            }

            if (!_commits.TryGetValue(at, out var commit) || commit.Parents.Length == 0)
            {
                return false;
            }
        }
    }

    // Times on the fake's clock, so a test clock dates pull requests, reviews and check runs too.
    private string Now() => Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
