using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CodyBatch.Testing.GitHub;

/// <summary>
/// What a follow-up round reads and writes, as GitHub's REST documentation describes it: a pull request's files with
/// their patches (<c>GET /pulls/{n}/files</c>), a review and its comments (<c>GET /pulls/{n}/reviews/{id}[/comments]</c>),
/// one line comment (<c>GET /pulls/comments/{id}</c>), one conversation comment (<c>GET /issues/comments/{id}</c>),
/// replies under a line comment (<c>POST /pulls/{n}/comments/{id}/replies</c>: 404 for a comment not on that pull request,
/// 422 for a reply to a reply, which GitHub does not support; the reply goes out as a webhook), a check run's annotations
/// (<c>GET /check-runs/{id}/annotations</c>) and a GitHub Actions job's log (<c>GET /actions/jobs/{id}/logs</c>: a 302 to a
/// short-lived download that needs no token; 403 without <c>actions: read</c>).
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly ConcurrentDictionary<long, (string Repository, int Number, JsonObject Comment)> _lineComments = new();
    private readonly ConcurrentDictionary<long, JsonObject> _issueComments = new();
    private readonly ConcurrentDictionary<string, (string Title, string Summary, string[] Annotations, string? Log)> _checkDetails = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, string> _jobLogs = new();
    private readonly Recorded<(string Repository, int Number, long InReplyTo, string Body)> _replies = new();

    /// <summary>Replies left under line comments.</summary>
    public IReadOnlyList<(string Repository, int Number, long InReplyTo, string Body)> Replies => _replies.Snapshot();

    /// <summary>When false, GitHub Actions job logs answer 403 (a token without <c>actions: read</c>).</summary>
    public bool ActionsLogsReadable { get; set; } = true;

    /// <summary>Someone pushes a commit to the default branch that sets <paramref name="path"/> to <paramref name="text"/>; returns its SHA.</summary>
    public string CommitToDefaultBranch(string fullName, string path, string text)
    {
        var repository = _repositories[fullName];
        var parent = EnsureHead(repository);
        var files = new Dictionary<string, (string Mode, byte[] Content)>(_trees[_commits[parent].Tree]) { [path] = ("100644", Encoding.UTF8.GetBytes(text)) };
        var tree = Store(files);
        var commit = Sha("commit", tree);
        _commits[commit] = (tree, [parent], $"Change {path}");
        _refs[$"{fullName}:refs/heads/{repository.DefaultBranch}"] = commit;
        return commit;
    }

    /// <summary>The parents of <paramref name="commit"/>.</summary>
    public IReadOnlyList<string> ParentsOf(string commit) => _commits[commit].Parents;

    /// <summary>Line comments of pull request <paramref name="number"/>, oldest first.</summary>
    public IReadOnlyList<JsonObject> LineComments(string fullName, int number) =>
        [.. _lineComments.Values.Where(c => c.Repository == fullName && c.Number == number).OrderBy(c => c.Comment["id"]!.GetValue<long>()).Select(c => c.Comment)];

    /// <summary>
    /// What the check run <paramref name="name"/> on <paramref name="sha"/> says once it runs: its output, annotations
    /// (<c>path:line:message</c>) and, for a GitHub Actions job, its log. Set before <see cref="CheckRunAsync"/>.
    /// </summary>
    public void CheckDetails(string fullName, string sha, string name, string title, string summary, string[] annotations, string? log = null) =>
        _checkDetails[$"{fullName}@{sha}#{name}"] = (title, summary, annotations, log);

    private JsonObject LineComment(FakeGitHubRepository repository, FakePull pull, string login, string path, int line, string body, long? review = null, long? inReplyTo = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var comment = new JsonObject
        {
            ["id"] = id,
            ["pull_request_review_id"] = review,
            ["in_reply_to_id"] = inReplyTo,
            ["user"] = new JsonObject { ["login"] = login, ["type"] = login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User" },
            ["author_association"] = repository.AssociationOf(login),
            ["body"] = body,
            ["path"] = path,
            ["line"] = line,
            ["diff_hunk"] = $"@@ -{line},1 +{line},1 @@\n {path} line {line}",
            ["commit_id"] = pull.Json["head"]!["sha"]!.DeepClone(),
            ["created_at"] = Now(),
        };
        _lineComments[id] = (repository.FullName, pull.Number, comment);
        return comment;
    }

    private async Task<bool> RoundRouteAsync(HttpContext context, FakeGitHubRequest request, FakeGitHubRepository repository, string[] s, JsonObject json)
    {
        switch (request.Method, s)
        {
            case ("GET", ["pulls", var n, "files"]) when int.TryParse(n, out var number) && TryFind(repository, number) is { } pull:
                // At most 3,000 files, paged by per_page (30, at most 100) and page with the Link header, as GitHub documents it.
                await JsonAsync(context, 200, new JsonArray([.. Paginate(
                    context, $"repos/{repository.FullName}/pulls/{number}/files", Files(repository, pull).Take(MaxPullFilesListed).Select(f => f!.DeepClone()).ToList())]));
                return true;
            case ("GET", ["pulls", var n, "reviews", var r, ..]) when int.TryParse(n, out var number) && long.TryParse(r, out var reviewId) && TryFind(repository, number) is { } pull:
            {
                JsonObject? review;
                lock (_pulls)
                {
                    review = pull.Reviews.FirstOrDefault(x => x["id"]!.GetValue<long>() == reviewId)?.DeepClone().AsObject();
                }

                if (review is null)
                {
                    await NotFoundAsync(context);
                }
                else if (s.Length == 4)
                {
                    await JsonAsync(context, 200, review);
                }
                else
                {
                    await JsonAsync(context, 200, new JsonArray([.. LineComments(repository.FullName, number)
                        .Where(c => c["pull_request_review_id"]?.GetValue<long>() == reviewId).Select(c => (JsonNode)c.DeepClone())]));
                }

                return true;
            }

            case ("GET", ["pulls", "comments", var c]) when long.TryParse(c, out var id):
                await (_lineComments.TryGetValue(id, out var line) && line.Repository == repository.FullName ? JsonAsync(context, 200, line.Comment.DeepClone()) : NotFoundAsync(context));
                return true;
            case ("GET", ["issues", "comments", var c]) when long.TryParse(c, out var id):
                await (_issueComments.TryGetValue(id, out var comment) ? JsonAsync(context, 200, comment.DeepClone()) : NotFoundAsync(context));
                return true;
            case ("POST", ["pulls", var n, "comments", var c, "replies"]) when int.TryParse(n, out var number) && long.TryParse(c, out var id):
                await ReplyAsync(context, repository, number, id, json);
                return true;
            case ("GET", ["check-runs", var c, "annotations"]) when long.TryParse(c, out var id):
                await JsonAsync(context, 200, new JsonArray([.. AnnotationsOf(repository, id)]));
                return true;
            case ("GET", ["actions", "jobs", var j, "logs"]) when long.TryParse(j, out var job):
                if (!ActionsLogsReadable)
                {
                    await JsonAsync(context, 403, new JsonObject { ["message"] = "Resource not accessible by integration", ["documentation_url"] = "https://docs.github.com/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run" });
                }
                else if (!_jobLogs.ContainsKey(job))
                {
                    await NotFoundAsync(context);
                }
                else
                {
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = $"{BaseUrl}_codeload/_logs/{job}";
                }

                return true;
            default:
                return false;
        }
    }

    private async Task<bool> JobLogAsync(HttpContext context, FakeGitHubRequest request)
    {
        if (!request.Path.StartsWith("/_codeload/_logs/", StringComparison.Ordinal))
        {
            return false;
        }

        if (request.Authorization.Length > 0)
        {
            Problem("the token was sent to the log download host");
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(_jobLogs.TryGetValue(long.Parse(request.Path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture), out var log) ? log : "");
        return true;
    }

    private async Task ReplyAsync(HttpContext context, FakeGitHubRepository repository, int number, long id, JsonObject json)
    {
        if (TryFind(repository, number) is not { } pull || !_lineComments.TryGetValue(id, out var parent) || parent.Repository != repository.FullName || parent.Number != number)
        {
            await NotFoundAsync(context);
            return;
        }

        if (parent.Comment["in_reply_to_id"] is not null)
        {
            await JsonAsync(context, 422, new JsonObject { ["message"] = "Validation Failed", ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequestReviewComment", ["code"] = "custom", ["message"] = "Replies to replies are not supported." }) });
            return;
        }

        if (json["body"]?.GetValue<string>() is not { Length: > 0 } body)
        {
            await JsonAsync(context, 422, new JsonObject { ["message"] = "Validation Failed", ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequestReviewComment", ["field"] = "body", ["code"] = "missing_field" }) });
            return;
        }

        var login = LoginOf(context);
        var reply = LineComment(repository, pull, login, parent.Comment["path"]!.GetValue<string>(), parent.Comment["line"]!.GetValue<int>(), body, inReplyTo: id);
        _replies.Add((repository.FullName, number, id, body));
        await JsonAsync(context, 201, reply.DeepClone());
        await DeliverAsync("pull_request_review_comment", new JsonObject
        {
            ["action"] = "created",
            ["comment"] = reply.DeepClone(),
            ["pull_request"] = Pull(repository.FullName, number),
            ["repository"] = RepositoryJson(repository),
            ["sender"] = new JsonObject { ["login"] = login },
        });
    }

    private IEnumerable<JsonNode> AnnotationsOf(FakeGitHubRepository repository, long checkRun)
    {
        foreach (var (key, runs) in _checkRuns.Where(r => r.Key.StartsWith(repository.FullName + "@", StringComparison.OrdinalIgnoreCase)))
        {
            JsonObject? run;
            lock (runs)
            {
                run = runs.FirstOrDefault(r => r["id"]!.GetValue<long>() == checkRun);
            }

            if (run is not null && _checkDetails.TryGetValue($"{key}#{run["name"]!.GetValue<string>()}", out var details))
            {
                foreach (var annotation in details.Annotations)
                {
                    var parts = annotation.Split(':', 3);
                    yield return new JsonObject
                    {
                        ["path"] = parts[0],
                        ["start_line"] = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                        ["end_line"] = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                        ["annotation_level"] = "failure",
                        ["message"] = parts[2],
                    };
                }
            }
        }
    }

    // A check run gets what CheckDetails said for it: its output, and a GitHub Actions job's log.
    private void Detail(string fullName, string sha, JsonObject run)
    {
        if (_checkDetails.TryGetValue($"{fullName}@{sha}#{run["name"]!.GetValue<string>()}", out var details))
        {
            run["output"] = new JsonObject { ["title"] = details.Title, ["summary"] = details.Summary, ["annotations_count"] = details.Annotations.Length };
            if (details.Log is { } log)
            {
                run["app"] = new JsonObject { ["slug"] = "github-actions" };
                _jobLogs[run["id"]!.GetValue<long>()] = log;
            }
        }
    }

    private JsonArray Files(FakeGitHubRepository repository, FakePull pull)
    {
        var head = _trees[_commits[pull.Json["head"]!["sha"]!.GetValue<string>()].Tree];
        var baseSha = Branch(repository.FullName, pull.Json["base"]!["ref"]!.GetValue<string>());
        IReadOnlyDictionary<string, (string Mode, byte[] Content)> @base = baseSha is not null && _commits.TryGetValue(baseSha, out var commit) ? _trees[commit.Tree] : repository.Files;
        var files = new JsonArray();
        foreach (var path in head.Keys.Union(@base.Keys).Order(StringComparer.Ordinal))
        {
            var before = @base.TryGetValue(path, out var b) ? Encoding.UTF8.GetString(b.Content) : null;
            var after = head.TryGetValue(path, out var a) ? Encoding.UTF8.GetString(a.Content) : null;
            if (before == after)
            {
                continue;
            }

            var removed = before?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
            var added = after?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
            files.Add(new JsonObject
            {
                ["filename"] = path,
                ["status"] = before is null ? "added" : after is null ? "removed" : "modified",
                ["additions"] = added.Length,
                ["deletions"] = removed.Length,
                ["patch"] = $"@@ -1,{removed.Length} +1,{added.Length} @@\n" + string.Concat(removed.Select(l => $"-{l}\n")) + string.Concat(added.Select(l => $"+{l}\n")),
            });
        }

        return files;
    }
}
