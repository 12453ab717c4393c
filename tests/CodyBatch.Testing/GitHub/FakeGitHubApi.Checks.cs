namespace CodyBatch.Testing.GitHub;

/// <summary>
/// A commit's check runs and commit statuses, which a test sets as CI would; each change goes out as
/// the webhook GitHub sends (<c>check_run</c>, <c>check_suite</c>, <c>status</c>).
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly ConcurrentDictionary<string, List<JsonObject>> _statuses = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, List<JsonObject>> _checkRuns = new(StringComparer.OrdinalIgnoreCase);

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
                Detail(fullName, sha, run);
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

        await AutoMergeAsync(fullName, sha);
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
    public Task StatusAsync(string fullName, string sha, string context, string state) =>
        AddStatusAsync(fullName, sha, context, state, $"{context} is {state}", "https://ci.example/build/1", "fake-ci[bot]");

    private async Task<JsonObject> AddStatusAsync(string fullName, string sha, string context, string state, string? description, string? targetUrl, string creator)
    {
        var statuses = _statuses.GetOrAdd($"{fullName}@{sha}", _ => []);
        var status = new JsonObject
        {
            ["id"] = Interlocked.Increment(ref _nextId),
            ["state"] = state,
            ["context"] = context,
            ["description"] = description,
            ["target_url"] = targetUrl,
            ["creator"] = new JsonObject { ["login"] = creator },
            ["created_at"] = Now(),
            ["updated_at"] = Now(),
        };
        lock (statuses)
        {
            statuses.Add(status);
        }

        await DeliverAsync("status", new JsonObject
        {
            ["id"] = status["id"]!.DeepClone(),
            ["sha"] = sha,
            ["name"] = fullName,
            ["target_url"] = targetUrl,
            ["context"] = context,
            ["description"] = description,
            ["state"] = state,
            ["commit"] = new JsonObject { ["sha"] = sha },
            ["branches"] = new JsonArray([.. _refs.Where(r => r.Key.StartsWith($"{fullName}:refs/heads/", StringComparison.OrdinalIgnoreCase) && r.Value == sha)
                .Select(r => (JsonNode)new JsonObject { ["name"] = r.Key[(fullName.Length + 12)..], ["commit"] = new JsonObject { ["sha"] = sha } })]),
            ["repository"] = RepositoryJson(_repositories[fullName]),
            ["sender"] = new JsonObject { ["login"] = creator },
        });
        await AutoMergeAsync(fullName, sha);
        return status.DeepClone().AsObject();
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
}
