namespace CodyBatch.Testing.GitHub;

/// <summary>
/// Commit statuses and check runs created through the API, validated as GitHub documents them: a commit
/// status needs push access (404 otherwise, as GitHub hides what a caller may not write), a known commit,
/// a <c>state</c> of <c>error</c>, <c>failure</c>, <c>pending</c> or <c>success</c>, a description of at most
/// 140 characters, and at most 1000 statuses per commit and context. Check runs may be created by GitHub Apps
/// only (with <c>checks: write</c>); <c>name</c> and <c>head_sha</c> are required, a completed run needs a
/// conclusion, an output needs a title and a summary of at most 65535 characters and at most 50 annotations.
/// Both show in the commit's combined status and check runs and go out as webhooks.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private const string ChecksDocs = "https://docs.github.com/rest/checks/runs#create-a-check-run";
    private const string StatusDocs = "https://docs.github.com/rest/commits/statuses#create-a-commit-status";

    /// <summary>The latest commit status per context on <paramref name="sha"/>.</summary>
    public IReadOnlyList<JsonObject> StatusesOf(string fullName, string sha) => Latest(_statuses, $"{fullName}@{sha}", "context");

    /// <summary>The latest check run per name on <paramref name="sha"/>.</summary>
    public IReadOnlyList<JsonObject> CheckRunsOf(string fullName, string sha) => Latest(_checkRuns, $"{fullName}@{sha}", "name");

    private async Task<bool> VerificationRouteAsync(HttpContext context, FakeGitHubRequest request, FakeGitHubRepository repository, string[] s, JsonObject json)
    {
        switch (request.Method, s)
        {
            case ("POST", ["statuses", var sha]):
                await CreateStatusAsync(context, repository, sha, json);
                return true;
            case ("POST", ["check-runs"]):
                await CreateCheckRunAsync(context, repository, json);
                return true;
            default:
                return false;
        }
    }

    private async Task CreateStatusAsync(HttpContext context, FakeGitHubRepository repository, string sha, JsonObject json)
    {
        if (!repository.CanPush || !InstallationMay(context, "statuses"))
        {
            await NotFoundAsync(context);
            return;
        }

        if (!_commits.ContainsKey(sha))
        {
            await JsonAsync(context, 422, new JsonObject { ["message"] = $"No commit found for SHA: {sha}", ["documentation_url"] = StatusDocs });
            return;
        }

        var state = json["state"]?.GetValue<string>();
        var description = json["description"]?.GetValue<string>();
        var statusContext = json["context"]?.GetValue<string>() ?? "default";
        string? invalid = state is null ? "state is missing"
            : state is not ("error" or "failure" or "pending" or "success") ? "state is not included in the list"
            : description?.Length > 140 ? "description is too long (maximum is 140 characters)"
            : null;
        if (invalid is not null)
        {
            Problem($"a commit status refused: {invalid}");
            await CustomValidationFailedAsync(context, "Status", invalid, StatusDocs);
            return;
        }

        var statuses = _statuses.GetOrAdd($"{repository.FullName}@{sha}", _ => []);
        int count;
        lock (statuses)
        {
            count = statuses.Count(x => x["context"]!.GetValue<string>() == statusContext);
        }

        if (count >= 1000)
        {
            await CustomValidationFailedAsync(context, "Status", "This SHA and context has reached the maximum number of statuses.", StatusDocs);
            return;
        }

        var status = await AddStatusAsync(repository.FullName, sha, statusContext, state!, description, json["target_url"]?.GetValue<string>(), LoginOf(context));
        await JsonAsync(context, 201, status);
    }

    private async Task CreateCheckRunAsync(HttpContext context, FakeGitHubRepository repository, JsonObject json)
    {
        if (context.Items["account"] is null)
        {
            Problem("a check run created without a GitHub App");
            await JsonAsync(context, 403, new JsonObject { ["message"] = "You must authenticate via a GitHub App.", ["documentation_url"] = ChecksDocs });
            return;
        }

        if (!InstallationMay(context, "checks"))
        {
            await JsonAsync(context, 403, new JsonObject { ["message"] = "Resource not accessible by integration", ["documentation_url"] = ChecksDocs });
            return;
        }

        var name = json["name"]?.GetValue<string>();
        var sha = json["head_sha"]?.GetValue<string>();
        var conclusion = json["conclusion"]?.GetValue<string>();
        var status = conclusion is not null ? "completed" : json["status"]?.GetValue<string>() ?? "queued";
        var output = json["output"] as JsonObject;
        string? invalid = string.IsNullOrEmpty(name) ? "name wasn't supplied."
            : string.IsNullOrEmpty(sha) ? "head_sha wasn't supplied."
            : status is not ("queued" or "in_progress" or "completed") ? "status is not included in the list"
            : status == "completed" && conclusion is null ? "conclusion wasn't supplied."
            : conclusion is not (null or "action_required" or "cancelled" or "failure" or "neutral" or "success" or "skipped" or "timed_out") ? "conclusion is not included in the list"
            : output is not null && (output["title"] is null || output["summary"] is null) ? "output needs a title and a summary"
            : output?["summary"]?.GetValue<string>().Length > 65535 ? "output.summary is too long (maximum is 65535 characters)"
            : output?["text"]?.GetValue<string>().Length > 65535 ? "output.text is too long (maximum is 65535 characters)"
            : (output?["annotations"] as JsonArray)?.Count > 50 ? "only 50 annotations are allowed per request"
            : null;
        if (invalid is not null)
        {
            Problem($"a check run refused: {invalid}");
            await CustomValidationFailedAsync(context, "CheckRun", invalid, ChecksDocs);
            return;
        }

        if (!_commits.ContainsKey(sha!))
        {
            await JsonAsync(context, 422, new JsonObject { ["message"] = $"No commit found for SHA: {sha}", ["documentation_url"] = ChecksDocs });
            return;
        }

        var run = new JsonObject
        {
            ["id"] = Interlocked.Increment(ref _nextId),
            ["name"] = name,
            ["head_sha"] = sha,
            ["status"] = status,
            ["conclusion"] = conclusion,
            ["details_url"] = json["details_url"]?.DeepClone(),
            ["output"] = output?.DeepClone(),
            ["app"] = new JsonObject { ["slug"] = _githubApp!.Value.Slug },
            ["check_suite"] = new JsonObject { ["id"] = 2 },
            ["started_at"] = Now(),
            ["completed_at"] = status == "completed" ? Now() : null,
        };
        var runs = _checkRuns.GetOrAdd($"{repository.FullName}@{sha}", _ => []);
        lock (runs)
        {
            runs.Add(run);
        }

        var payload = run.DeepClone().AsObject();
        payload["pull_requests"] = PullsAt(repository.FullName, sha!);
        await JsonAsync(context, 201, run.DeepClone());
        await DeliverAsync("check_run", new JsonObject
        {
            ["action"] = status == "completed" ? "completed" : "created",
            ["check_run"] = payload,
            ["repository"] = RepositoryJson(repository),
            ["sender"] = new JsonObject { ["login"] = LoginOf(context) },
        });
    }

    // An installation token acts with its installation's permissions; a personal token with its user's.
    private bool InstallationMay(HttpContext context, string permission) =>
        context.Items["account"] is not string account
        || (_installations.TryGetValue(account, out var installation) && installation.Permissions.GetValueOrDefault(permission) == "write");

    private static Task CustomValidationFailedAsync(HttpContext context, string resource, string message, string docs) =>
        JsonAsync(context, 422, new JsonObject
        {
            ["message"] = "Validation Failed",
            ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = "custom", ["message"] = message }),
            ["documentation_url"] = docs,
        });
}
