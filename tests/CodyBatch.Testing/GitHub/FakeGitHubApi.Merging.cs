namespace CodyBatch.Testing.GitHub;

/// <summary>
/// Merging as GitHub documents it. <c>PUT /repos/{o}/{r}/pulls/{n}/merge</c>: push access, an open pull request
/// that is not a draft and has no conflict, the expected head <c>sha</c> (409 when it moved), a merge method the
/// repository allows, and the default branch's protection (required checks passing on the head, required approvals)
/// — 405 with GitHub's sentence otherwise. GraphQL's <c>enablePullRequestAutoMerge</c>: refused where the repository
/// does not allow auto-merge, for drafts, and for a pull request that could be merged now ("clean status"); once
/// enabled, the fake merges the pull request itself when its head's required checks pass, as GitHub does.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly Recorded<(string Repository, int Number, string Method, string Sha, string By)> _merges = new();

    /// <summary>Pull requests merged through the API or by auto-merge: the method and head, and who merged (<c>auto-merge</c> for GitHub itself).</summary>
    public IReadOnlyList<(string Repository, int Number, string Method, string Sha, string By)> Merges => _merges.Snapshot();

    /// <summary>What GitHub computes as the pull request's <c>mergeable</c>: false for a conflict with the base branch (no webhook says so).</summary>
    public void SetMergeable(string fullName, int number, bool? mergeable)
    {
        var pull = Find(fullName, number);
        lock (_pulls)
        {
            pull.Json["mergeable"] = mergeable;
            pull.Json["updated_at"] = Now();
        }
    }

    private async Task<bool> MergeRouteAsync(HttpContext context, FakeGitHubRequest request, FakeGitHubRepository repository, string[] s, JsonObject json)
    {
        if ((request.Method, s) is not ("PUT", ["pulls", var n, "merge"]) || !int.TryParse(n, out var number))
        {
            return false;
        }

        if (TryFind(repository, number) is not { } pull)
        {
            await NotFoundAsync(context);
            return true;
        }

        if (!repository.CanPush)
        {
            await JsonAsync(context, 403, new JsonObject { ["message"] = "Resource not accessible by integration", ["documentation_url"] = MergeDocs });
            return true;
        }

        var method = json["merge_method"]?.GetValue<string>() ?? "merge";
        if (method is not ("merge" or "squash" or "rebase"))
        {
            await JsonAsync(context, 422, new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["field"] = "merge_method", ["code"] = "invalid" }),
                ["documentation_url"] = MergeDocs,
            });
            return true;
        }

        string head;
        lock (_pulls)
        {
            head = pull.Json["head"]!["sha"]!.GetValue<string>();
        }

        if (json["sha"]?.GetValue<string>() is { } expected && !expected.Equals(head, StringComparison.OrdinalIgnoreCase))
        {
            await JsonAsync(context, 409, new JsonObject { ["message"] = "Head branch was modified. Review and try the merge again.", ["documentation_url"] = MergeDocs });
            return true;
        }

        if (Blocked(repository, pull, method) is { } blocked)
        {
            await JsonAsync(context, 405, new JsonObject { ["message"] = blocked, ["documentation_url"] = MergeDocs });
            return true;
        }

        await MergeWithAsync(repository, pull, method, LoginOf(context));
        await JsonAsync(context, 200, new JsonObject { ["sha"] = head, ["merged"] = true, ["message"] = "Pull Request successfully merged" });
        return true;
    }

    private const string MergeDocs = "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request";

    // GitHub's reason not to merge now, or null.
    private string? Blocked(FakeGitHubRepository repository, FakePull pull, string method)
    {
        string head;
        lock (_pulls)
        {
            if (pull.Json["state"]!.GetValue<string>() != "open")
            {
                return "Pull Request is not mergeable";
            }

            if (pull.Json["draft"]!.GetValue<bool>())
            {
                return "Pull Request is still a draft";
            }

            if (pull.Json["mergeable"]?.GetValue<bool?>() == false)
            {
                return "Pull Request is not mergeable";
            }

            head = pull.Json["head"]!["sha"]!.GetValue<string>();
        }

        if (!repository.MergeMethods.Contains(method))
        {
            return method switch
            {
                "merge" => "Merge commits are not allowed on this repository.",
                "squash" => "Squash merges are not allowed on this repository.",
                _ => "Rebase merges are not allowed on this repository.",
            };
        }

        var passed = StatusesOf(repository.FullName, head).Where(x => x["state"]!.GetValue<string>() == "success").Select(x => x["context"]!.GetValue<string>())
            .Concat(CheckRunsOf(repository.FullName, head).Where(x => x["conclusion"]?.GetValue<string>() is "success" or "neutral" or "skipped").Select(x => x["name"]!.GetValue<string>()))
            .ToHashSet(StringComparer.Ordinal);
        var failed = StatusesOf(repository.FullName, head).Where(x => x["state"]!.GetValue<string>() is "failure" or "error").Select(x => x["context"]!.GetValue<string>())
            .Concat(CheckRunsOf(repository.FullName, head).Where(x => x["status"]!.GetValue<string>() == "completed" && x["conclusion"]?.GetValue<string>() is not ("success" or "neutral" or "skipped")).Select(x => x["name"]!.GetValue<string>()))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var required in repository.RequiredChecks)
        {
            if (failed.Contains(required))
            {
                return $"Required status check \"{required}\" is failing.";
            }

            if (!passed.Contains(required))
            {
                return $"Required status check \"{required}\" is expected.";
            }
        }

        if (repository.RequiredApprovals > 0)
        {
            List<string> latest;
            lock (_pulls)
            {
                latest = [.. pull.Reviews.Where(r => r["state"]!.GetValue<string>() is not "COMMENTED")
                    .GroupBy(r => r["user"]!["login"]!.GetValue<string>()).Select(g => g.Last()["state"]!.GetValue<string>())];
            }

            if (latest.Contains("CHANGES_REQUESTED") || latest.Count(x => x == "APPROVED") < repository.RequiredApprovals)
            {
                return $"At least {repository.RequiredApprovals} approving review is required by reviewers with write access.";
            }
        }

        return null;
    }

    private async Task MergeWithAsync(FakeGitHubRepository repository, FakePull pull, string method, string by)
    {
        string head;
        lock (_pulls)
        {
            head = pull.Json["head"]!["sha"]!.GetValue<string>();
            pull.Json["auto_merge"] = null;
        }

        _merges.Add((repository.FullName, pull.Number, method, head, by));
        await MergeAsync(repository.FullName, pull.Number);
    }

    // GraphQL's enablePullRequestAutoMerge; null when the document is not that mutation.
    private async Task<bool> AutoMergeMutationAsync(HttpContext context, string query, JsonObject? variables)
    {
        if (!query.TrimStart().StartsWith("mutation", StringComparison.Ordinal))
        {
            return false;
        }

        JsonObject Error(string type, string message) => new() { ["errors"] = new JsonArray(new JsonObject { ["type"] = type, ["path"] = new JsonArray("enablePullRequestAutoMerge"), ["message"] = message }) };
        if (!query.Contains("enablePullRequestAutoMerge(input:", StringComparison.Ordinal) || variables?["id"] is null || variables["method"] is null)
        {
            Problem($"POST /graphql: a mutation this fake does not know: {query}");
            await JsonAsync(context, 200, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = "only enablePullRequestAutoMerge with $id and $method is served here" }) });
            return true;
        }

        var id = variables["id"]!.GetValue<string>();
        var method = variables["method"]!.GetValue<string>();
        FakePull? pull;
        lock (_pulls)
        {
            pull = _pulls.FirstOrDefault(p => p.Json["node_id"]?.GetValue<string>() == id);
        }

        if (pull is null)
        {
            await JsonAsync(context, 200, Error("NOT_FOUND", $"Could not resolve to a node with the global id of '{id}'"));
            return true;
        }

        var repository = _repositories[pull.Repository];
        string? refusal = method is not ("MERGE" or "SQUASH" or "REBASE") ? $"Argument 'mergeMethod' on InputObject 'EnablePullRequestAutoMergeInput' has an invalid value ({method})."
            : !repository.CanPush ? $"{LoginOf(context)} does not have permission to enable auto-merge on this pull request."
            : !repository.AllowAutoMerge ? "Auto merge is not allowed for this repository"
            : Blocked(repository, pull, method.ToLowerInvariant()) switch
            {
                null => "Pull request is in clean status",
                "Pull Request is still a draft" => "Pull request is in draft state",
                var reason when reason.StartsWith("Required status check", StringComparison.Ordinal) || reason.StartsWith("At least", StringComparison.Ordinal) => null,
                var reason => $"Pull request is not in a state that allows auto-merge ({reason})",
            };
        if (refusal is not null)
        {
            await JsonAsync(context, 200, Error("UNPROCESSABLE", refusal));
            return true;
        }

        lock (_pulls)
        {
            pull.Json["auto_merge"] = new JsonObject { ["merge_method"] = method.ToLowerInvariant(), ["enabled_by"] = new JsonObject { ["login"] = LoginOf(context) } };
        }

        await JsonAsync(context, 200, new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["enablePullRequestAutoMerge"] = new JsonObject
                {
                    ["pullRequest"] = new JsonObject { ["autoMergeRequest"] = new JsonObject { ["enabledAt"] = Now(), ["mergeMethod"] = method } },
                },
            },
        });
        return true;
    }

    // GitHub merges a pull request with auto-merge once nothing blocks it any more.
    private async Task AutoMergeAsync(string fullName, string sha)
    {
        List<(FakePull Pull, string Method)> waiting;
        lock (_pulls)
        {
            waiting = [.. _pulls.Where(p => p.Repository == fullName && p.Json["auto_merge"] is JsonObject && p.Json["head"]!["sha"]!.GetValue<string>() == sha)
                .Select(p => (p, p.Json["auto_merge"]!["merge_method"]!.GetValue<string>()))];
        }

        foreach (var (pull, method) in waiting)
        {
            if (Blocked(_repositories[fullName], pull, method) is null)
            {
                await MergeWithAsync(_repositories[fullName], pull, method, "auto-merge");
            }
        }
    }
}
