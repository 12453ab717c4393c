using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

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
    public const int RateLimit = 5000;

    private readonly ConcurrentDictionary<string, List<JsonObject>> _statuses = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, List<JsonObject>> _checkRuns = new(StringComparer.OrdinalIgnoreCase);
    private readonly Recorded<(string Repository, int Number, string Body)> _comments = new();
    private readonly Recorded<(FakeGitHubRequest Request, int Status)> _answers = new();
    private readonly Recorded<FakeWebhookDelivery> _deliveries = new();
    private readonly Recorded<(string Event, string Body)> _withheld = new();
    private (HttpClient Client, string Path, string Secret)? _webhook;
    private readonly ConcurrentDictionary<FakeGitHubRequest, string> _etags = new();
    private int _rateLimitUsed;
    private long _nextId = 1000;

    /// <summary>Requests counted against the rate limit so far (a 304 is not).</summary>
    public int RateLimitUsed => Volatile.Read(ref _rateLimitUsed);

    /// <summary>Every request with the status it was answered.</summary>
    public IReadOnlyList<(FakeGitHubRequest Request, int Status)> Answers => _answers.Snapshot();

    /// <summary>The ETag each conditional GET was answered with.</summary>
    public IReadOnlyDictionary<FakeGitHubRequest, string> ETags => _etags;

    /// <summary>Comments left on issues and pull requests.</summary>
    public IReadOnlyList<(string Repository, int Number, string Body)> Comments => _comments.Snapshot();

    /// <summary>Webhook deliveries sent, in order.</summary>
    public IReadOnlyList<FakeWebhookDelivery> Deliveries => _deliveries.Snapshot();

    /// <summary>While true, deliveries are kept in <see cref="Withheld"/> instead of sent (a receiver that was down, a delivery lost on the way).</summary>
    public bool HoldDeliveries { get; set; }

    /// <summary>Deliveries not sent while <see cref="HoldDeliveries"/> was on: event and body, in order.</summary>
    public IReadOnlyList<(string Event, string Body)> Withheld => _withheld.Snapshot();

    /// <summary>Sends webhook deliveries to <paramref name="path"/> through <paramref name="client"/>, signed with <paramref name="secret"/>.</summary>
    public void UseWebhook(HttpClient client, string path, string secret) => _webhook = (client, path, secret);

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

    /// <summary>Reopens a closed (not merged) pull request, as the "Reopen" button does.</summary>
    public Task ReopenAsync(string fullName, int number)
    {
        var pull = Find(fullName, number);
        lock (_pulls)
        {
            pull.Json["state"] = "open";
            pull.Json["closed_at"] = null;
            pull.Json["updated_at"] = Now();
        }

        return PullRequestEventAsync(pull, "reopened");
    }

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
    }

    /// <summary>A check run on <paramref name="sha"/>: <c>queued</c>/<c>in_progress</c>, or <c>completed</c> with a conclusion. When every run of the commit completed, its check suite completes too.</summary>
    public async Task CheckRunAsync(string fullName, string sha, string name, string status, string? conclusion = null)
    {
        var runs = _checkRuns.GetOrAdd($"{fullName}@{sha}", _ => []);
        JsonObject run;
        lock (runs)
        {
            run = runs.FirstOrDefault(r => r["name"]!.GetValue<string>() == name) ?? new JsonObject
            {
                ["id"] = Interlocked.Increment(ref _nextId),
                ["name"] = name,
                ["head_sha"] = sha,
                ["app"] = new JsonObject { ["slug"] = "fake-ci" },
                ["check_suite"] = new JsonObject { ["id"] = 1 },
                ["started_at"] = Now(),
            };
            if (!runs.Contains(run))
            {
                runs.Add(run);
            }

            run["status"] = status;
            run["conclusion"] = conclusion;
            run["completed_at"] = status == "completed" ? Now() : null;
        }

        var pulls = PullsAt(fullName, sha);
        var payloadRun = run.DeepClone().AsObject();
        payloadRun["pull_requests"] = pulls;
        await DeliverAsync("check_run", new JsonObject
        {
            ["action"] = status == "completed" ? "completed" : "created",
            ["check_run"] = payloadRun,
            ["repository"] = RepositoryJson(_repositories[fullName]),
            ["sender"] = new JsonObject { ["login"] = "fake-ci[bot]" },
        });

        List<JsonObject> all;
        lock (runs)
        {
            all = [.. runs.Select(r => r.DeepClone().AsObject())];
        }

        if (all.All(r => r["status"]!.GetValue<string>() == "completed"))
        {
            var failed = all.Any(r => r["conclusion"]?.GetValue<string>() is not ("success" or "neutral" or "skipped"));
            await DeliverAsync("check_suite", new JsonObject
            {
                ["action"] = "completed",
                ["check_suite"] = new JsonObject
                {
                    ["id"] = 1,
                    ["head_sha"] = sha,
                    ["status"] = "completed",
                    ["conclusion"] = failed ? "failure" : "success",
                    ["app"] = new JsonObject { ["slug"] = "fake-ci" },
                    ["pull_requests"] = PullsAt(fullName, sha),
                },
                ["repository"] = RepositoryJson(_repositories[fullName]),
                ["sender"] = new JsonObject { ["login"] = "fake-ci[bot]" },
            });
        }
    }

    /// <summary>A commit status on <paramref name="sha"/>: <c>pending</c>, <c>success</c>, <c>failure</c> or <c>error</c>.</summary>
    public Task StatusAsync(string fullName, string sha, string context, string state)
    {
        var statuses = _statuses.GetOrAdd($"{fullName}@{sha}", _ => []);
        var status = new JsonObject
        {
            ["id"] = Interlocked.Increment(ref _nextId),
            ["state"] = state,
            ["context"] = context,
            ["description"] = $"{context} is {state}",
            ["target_url"] = "https://ci.example/build/1",
            ["created_at"] = Now(),
            ["updated_at"] = Now(),
        };
        lock (statuses)
        {
            statuses.Add(status);
        }

        return DeliverAsync("status", new JsonObject
        {
            ["id"] = status["id"]!.DeepClone(),
            ["sha"] = sha,
            ["name"] = fullName,
            ["target_url"] = status["target_url"]!.DeepClone(),
            ["context"] = context,
            ["description"] = status["description"]!.DeepClone(),
            ["state"] = state,
            ["commit"] = new JsonObject { ["sha"] = sha },
            ["branches"] = new JsonArray([.. _refs.Where(r => r.Key.StartsWith($"{fullName}:refs/heads/", StringComparison.OrdinalIgnoreCase) && r.Value == sha)
                .Select(r => (JsonNode)new JsonObject { ["name"] = r.Key[(fullName.Length + 12)..], ["commit"] = new JsonObject { ["sha"] = sha } })]),
            ["repository"] = RepositoryJson(_repositories[fullName]),
            ["sender"] = new JsonObject { ["login"] = "fake-ci[bot]" },
        });
    }

    /// <summary>Posts a delivery as GitHub does; <paramref name="signature"/> replaces the real one (a test's forgery), null sends none.</summary>
    public async Task<FakeWebhookDelivery> SendWebhookAsync(string id, string eventName, string body, string? signature)
    {
        var (client, path, _) = _webhook ?? throw new InvalidOperationException("No webhook receiver is set; call UseWebhook first.");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/fake");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", id);
        request.Headers.Add("X-GitHub-Hook-ID", "424242");
        request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", "repository");
        request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", "4242");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        using var response = await client.SendAsync(request);
        var delivery = new FakeWebhookDelivery(id, eventName, body, signature ?? "", (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        _deliveries.Add(delivery);
        return delivery;
    }

    /// <summary>Sends a delivery again, as "Redeliver" on GitHub does: the same id, event and body.</summary>
    public Task<FakeWebhookDelivery> RedeliverAsync(string id)
    {
        var original = _deliveries.Snapshot().First(d => d.Id == id);
        return SendWebhookAsync(original.Id, original.Event, original.Body, Sign(_webhook!.Value.Secret, original.Body));
    }

    /// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the hex HMAC-SHA256 of the body under the secret.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task DeliverAsync(string eventName, JsonObject payload)
    {
        if (_webhook is not { } webhook)
        {
            return;
        }

        var body = payload.ToJsonString();
        if (HoldDeliveries)
        {
            _withheld.Add((eventName, body));
            return;
        }

        var delivery = await SendWebhookAsync(Guid.NewGuid().ToString(), eventName, body, Sign(webhook.Secret, body));
        if (delivery.Status != 200)
        {
            Problem($"the {eventName} delivery {delivery.Id} was answered {delivery.Status}: {delivery.Response}");
        }
    }

    private Task PullRequestEventAsync(FakePull pull, string action) =>
        DeliverAsync("pull_request", new JsonObject
        {
            ["action"] = action,
            ["number"] = pull.Number,
            ["pull_request"] = Pull(pull.Repository, pull.Number),
            ["repository"] = RepositoryJson(_repositories[pull.Repository]),
            ["sender"] = new JsonObject { ["login"] = "octocat" },
        });

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
                ["number"] = number,
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

                JsonArray found;
                lock (_pulls)
                {
                    found = [.. _pulls.Where(p => p.Repository == repository.FullName
                            && (query["head"] is not { } head || p.Json["head"]!["label"]!.GetValue<string>() == head)
                            && (state == "all" || p.Json["state"]!.GetValue<string>() == state))
                        .OrderByDescending(p => p.Number)
                        .Select(p => (JsonNode)p.Json.DeepClone())];
                }

                await ConditionalAsync(context, request, found);
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
                await JsonAsync(context, 201, new JsonObject { ["id"] = Interlocked.Increment(ref _nextId), ["body"] = comment, ["user"] = new JsonObject { ["login"] = "codybatch-bot" }, ["created_at"] = Now() });
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

    private static List<JsonObject> Latest(ConcurrentDictionary<string, List<JsonObject>> all, string key, string by)
    {
        if (!all.TryGetValue(key, out var items))
        {
            return [];
        }

        lock (items)
        {
            return [.. items.GroupBy(i => i[by]!.GetValue<string>()).Select(g => g.Last().DeepClone().AsObject())];
        }
    }

    // GitHub's conditional GET: an ETag on every answer; a matching If-None-Match gets 304 and no body.
    private async Task ConditionalAsync(HttpContext context, FakeGitHubRequest request, JsonNode body)
    {
        var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body.ToJsonString())))}\"";
        _etags[request] = etag;
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "private, max-age=60, s-maxage=60";
        context.Response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
        if (request.IfNoneMatch is { } sent && sent.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "*"))
        {
            context.Response.StatusCode = 304;
            return;
        }

        await JsonAsync(context, 200, body);
    }

    // Every answer but a 304 counts against the primary rate limit, as GitHub documents.
    private void CountRateLimit(HttpContext context, FakeGitHubRequest request)
    {
        if (request.Path.StartsWith("/_codeload/", StringComparison.Ordinal))
        {
            return;
        }

        context.Response.OnStarting(() =>
        {
            var status = context.Response.StatusCode;
            var used = status == 304 ? Volatile.Read(ref _rateLimitUsed) : Interlocked.Increment(ref _rateLimitUsed);
            _answers.Add((request, status));
            var headers = context.Response.Headers;
            headers.TryAdd("x-ratelimit-limit", RateLimit.ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-remaining", Math.Max(0, RateLimit - used).ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-used", used.ToString(CultureInfo.InvariantCulture));
            headers.TryAdd("x-ratelimit-resource", "core");
            headers.TryAdd("x-ratelimit-reset", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        });
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
