using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Runs;
using CodyBatch.GitHub.Api;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// What a follow-up round is told, read over REST: the pull request (head), its head commit (tree), its files with their
/// patches (the diff), then by cause the review and its comments, the line comment, the conversation comment, or the
/// failing check runs with their annotations and — for GitHub Actions jobs, where the token may read them — the tail of
/// their logs, and the failing commit statuses. Replies under line comments and review requests are written here too.
/// </summary>
internal sealed class GitHubRoundReader(GitHubConnection connection, GitHubCalls calls)
{
    /// <summary>The most characters of the diff a round is given.</summary>
    public const int MaxDiffChars = 60_000;

    /// <summary>The most characters of a check's log tail.</summary>
    public const int MaxLogChars = 4_000;

    private readonly ConditionalReader _reader = new(connection, calls);
    private readonly GitHubWrites _writes = new(connection, calls);

    public async Task<RoundMaterial> ReadAsync(string repository, PullRequest pullRequest, FollowUpRound round, CancellationToken cancellationToken)
    {
        var root = Root(repository);
        var number = pullRequest.Number;
        var pull = await GetAsync($"read {repository}#{number}", $"{root}/pulls/{number}", cancellationToken);
        var head = pull?["head"]?["sha"]?.GetValue<string>() ?? pullRequest.HeadSha ?? throw new RunFailedException($"GitHub did not say the head of {repository}#{number}.");
        var commit = await GetAsync($"read {repository}@{Short(head)}", $"{root}/commits/{head}", cancellationToken);
        var files = await GetAsync($"read the files of {repository}#{number}", $"{root}/pulls/{number}/files?per_page=100", cancellationToken);
        var comments = new List<RoundComment>();
        var checks = new List<RoundCheck>();
        switch (round.Kind)
        {
            case RoundSignalKind.Review when round.SignalId is { } review:
                if (await GetAsync($"read review {review} of {repository}#{number}", $"{root}/pulls/{number}/reviews/{review}", cancellationToken) is { } found
                    && found["body"]?.GetValue<string>() is { Length: > 0 } body)
                {
                    comments.Add(Comment(found, body));
                }

                foreach (var onLine in (await GetAsync($"read the comments of review {review}", $"{root}/pulls/{number}/reviews/{review}/comments?per_page=100", cancellationToken))?.AsArray() ?? [])
                {
                    comments.Add(Comment(onLine!, onLine!["body"]?.GetValue<string>() ?? ""));
                }

                break;
            case RoundSignalKind.ReviewComment when round.SignalId is { } id:
                if (await GetAsync($"read line comment {id}", $"{root}/pulls/comments/{id}", cancellationToken) is { } line)
                {
                    comments.Add(Comment(line, line["body"]?.GetValue<string>() ?? ""));
                }

                break;
            case RoundSignalKind.Comment when round.SignalId is { } id:
                if (await GetAsync($"read comment {id}", $"{root}/issues/comments/{id}", cancellationToken) is { } comment)
                {
                    comments.Add(Comment(comment, comment["body"]?.GetValue<string>() ?? ""));
                }

                break;
            case RoundSignalKind.FailingChecks:
                checks.AddRange(await FailingChecksAsync(repository, root, head, cancellationToken));
                break;
        }

        return new RoundMaterial(Diff(files), comments, checks) { HeadSha = head, HeadTreeSha = commit?["commit"]?["tree"]?["sha"]?.GetValue<string>() };
    }

    public async Task ReplyAsync(string repository, PullRequest pullRequest, long commentId, string body, CancellationToken cancellationToken)
    {
        try
        {
            await _writes.SendAsync(
                HttpMethod.Post, $"{Root(repository)}/pulls/{pullRequest.Number}/comments/{commentId}/replies", new JsonObject { ["body"] = body },
                $"reply under comment {commentId} of {repository}#{pullRequest.Number}", cancellationToken, safeToRepeat: false);
        }
        catch (GitHubResponseException e)
        {
            throw GitHubWrites.Refused($"reply under comment {commentId} of {repository}#{pullRequest.Number}", e);
        }
    }

    public async Task RequestReviewAsync(string repository, PullRequest pullRequest, IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        try
        {
            await _writes.SendAsync(
                HttpMethod.Post, $"{Root(repository)}/pulls/{pullRequest.Number}/requested_reviewers", new JsonObject { ["reviewers"] = new JsonArray([.. logins.Select(l => (JsonNode)l)]) },
                $"ask {string.Join(", ", logins)} to review {repository}#{pullRequest.Number}", cancellationToken);
        }
        catch (GitHubResponseException e)
        {
            throw GitHubWrites.Refused($"ask {string.Join(", ", logins)} to review {repository}#{pullRequest.Number} again", e);
        }
    }

    private async Task<List<RoundCheck>> FailingChecksAsync(string repository, string root, string head, CancellationToken cancellationToken)
    {
        var checks = new List<RoundCheck>();
        var runs = await GetAsync($"read the check runs of {repository}@{Short(head)}", $"{root}/commits/{head}/check-runs?per_page=100", cancellationToken);
        foreach (var run in runs?["check_runs"]?.AsArray() ?? [])
        {
            if (GitHubPullRequestHost.CheckRunState(run?["status"]?.GetValue<string>(), run?["conclusion"]?.GetValue<string>()) != ChecksState.Failure)
            {
                continue;
            }

            var id = run!["id"]!.GetValue<long>();
            var output = run["output"];
            var summary = string.Join("\n", new[] { output?["title"]?.GetValue<string>(), output?["summary"]?.GetValue<string>() }.Where(t => !string.IsNullOrWhiteSpace(t)));
            var annotations = (await GetAsync($"read the annotations of check run {id}", $"{root}/check-runs/{id}/annotations?per_page=50", cancellationToken))?.AsArray()
                .Select(a => $"{a?["path"]?.GetValue<string>()}:{a?["start_line"]?.GetValue<int>()}: {a?["annotation_level"]?.GetValue<string>()}: {a?["message"]?.GetValue<string>()}")
                .ToList() ?? [];
            var log = run["app"]?["slug"]?.GetValue<string>() == "github-actions" ? await LogTailAsync(root, id, cancellationToken) : null;
            checks.Add(new RoundCheck(run["name"]?.GetValue<string>() ?? $"check run {id}", summary.Length == 0 ? null : summary, annotations, log));
        }

        var status = await GetAsync($"read the commit statuses of {repository}@{Short(head)}", $"{root}/commits/{head}/status?per_page=100", cancellationToken);
        foreach (var item in status?["statuses"]?.AsArray() ?? [])
        {
            if (GitHubPullRequestHost.StatusState(item?["state"]?.GetValue<string>()) == ChecksState.Failure)
            {
                checks.Add(new RoundCheck(item!["context"]?.GetValue<string>() ?? "status", item["description"]?.GetValue<string>(), [], null));
            }
        }

        return checks;
    }

    // A GitHub Actions check run's id is its job's id: the log is a redirect to a short-lived download. A token that
    // may not read it (no actions: read) leaves the round without the log, said in its place.
    private async Task<string?> LogTailAsync(string root, long job, CancellationToken cancellationToken)
    {
        try
        {
            return await calls.ReadAsync(
                $"read the log of job {job}",
                async () =>
                {
                    using var response = await connection.Http.GetAsync($"{root}/actions/jobs/{job}/logs", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw await GitHubResponseException.FromAsync(response, cancellationToken);
                    }

                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    return text.Length > MaxLogChars ? "…" + text[^MaxLogChars..] : text;
                },
                cancellationToken);
        }
        catch (GitHubResponseException e)
        {
            return $"(the log could not be read: {e.Status})";
        }
    }

    private async Task<JsonNode?> GetAsync(string what, string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await _reader.GetAsync(what, path, null, cancellationToken)).Body;
        }
        catch (GitHubResponseException e)
        {
            throw new RunFailedException($"GitHub did not answer the request to {what} ({e.Status}: {e.Message}).");
        }
    }

    private static RoundComment Comment(JsonNode node, string body) => new(
        node["id"]?.GetValue<long>() ?? 0,
        node["user"]?["login"]?.GetValue<string>() ?? "unknown",
        node["author_association"]?.GetValue<string>(),
        body,
        node["path"]?.GetValue<string>(),
        node["line"]?.GetValue<int?>() ?? node["original_line"]?.GetValue<int?>(),
        node["diff_hunk"]?.GetValue<string>());

    private static string Diff(JsonNode? files)
    {
        var diff = new StringBuilder();
        foreach (var file in files?.AsArray() ?? [])
        {
            var name = file?["filename"]?.GetValue<string>();
            diff.Append("--- a/").Append(file?["previous_filename"]?.GetValue<string>() ?? name).Append('\n').Append("+++ b/").Append(name).Append('\n');
            diff.Append(file?["patch"]?.GetValue<string>() ?? "(no text diff: binary or too large)").Append('\n');
            if (diff.Length > MaxDiffChars)
            {
                return diff.ToString(0, MaxDiffChars) + "\n… (the diff goes on; read the files in /repo)";
            }
        }

        return diff.ToString();
    }

    private static string Root(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return $"repos/{Uri.EscapeDataString(repository[..slash])}/{Uri.EscapeDataString(repository[(slash + 1)..])}";
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
