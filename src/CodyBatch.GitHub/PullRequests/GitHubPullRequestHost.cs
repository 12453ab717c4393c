using System.Text.Json.Nodes;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Runs;
using CodyBatch.GitHub.Api;
using Octokit;
using PullRequest = CodyBatch.Core.PullRequests.PullRequest;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// Follows pull requests on GitHub. A refresh of many reads them all with GraphQL, up to fifty in one query
/// (<see cref="GraphQlPullRequestReader"/>). Where GraphQL is not there (a 404 from a GitHub Enterprise Server: not
/// asked again by this process) or refuses a query or a repository, each pull request is read over REST: the pull
/// request, the combined status and the check runs of its head commit, each with the stored entity tag, and the
/// reviews only when the pull request itself changed (a review updates it): three requests per open pull request,
/// all answered 304 — free of rate limit — when nothing changed.
/// </summary>
public sealed class GitHubPullRequestHost(GitHubConnection connection, GitHubCalls calls) : IPullRequestHost
{
    private readonly ConditionalReader _reader = new(connection, calls);
    private readonly GraphQlPullRequestReader _graphQl = new(connection, calls);
    private readonly GitHubVerificationPublisher _verification = new(connection, new GitHubWrites(connection, calls));
    private readonly GitHubMerger _merger = new(connection, calls, new GitHubWrites(connection, calls));
    private readonly GitHubRoundReader _rounds = new(connection, calls);
    private volatile bool _graphQlMissing;

    /// <summary>True once GitHub answered 404 for the GraphQL endpoint: this process then reads over REST only.</summary>
    public bool GraphQlMissing => _graphQlMissing;

    /// <inheritdoc />
    public async Task<PullRequestBatch> ObserveManyAsync(IReadOnlyList<(string Repository, PullRequest PullRequest)> pulls, CancellationToken cancellationToken)
    {
        var readings = new PullRequestReading?[pulls.Count];
        int requests = 0, notModified = 0, points = 0;

        // A GitHub App's token belongs to one installation (one account), a personal token to all of them.
        var app = connection.Credentials.UsesApp;
        foreach (var owner in pulls.Select((pull, i) => (pull, i)).GroupBy(x => app ? Split(x.pull.Repository).Owner.ToLowerInvariant() : ""))
        {
            foreach (var chunk in owner.Chunk(GraphQlPullRequestReader.MaxPullRequestsPerQuery))
            {
                if (_graphQlMissing)
                {
                    break;
                }

                try
                {
                    requests++;
                    var answer = await _graphQl.ReadAsync(app ? owner.Key : null, [.. chunk.Select(x => x.pull)], cancellationToken);
                    points += answer.Cost;
                    for (var j = 0; j < chunk.Length; j++)
                    {
                        readings[chunk[j].i] = answer.Readings[j];
                    }
                }
                catch (GitHubResponseException e) when (e.Status == 404)
                {
                    _graphQlMissing = true;
                }
                catch (Exception e) when (e is GitHubResponseException or RunFailedException or HttpRequestException)
                {
                    // Refused (permissions, rate limit) or unreachable: these go by REST below.
                }
            }
        }

        for (var i = 0; i < pulls.Count; i++)
        {
            if (readings[i] is not null)
            {
                continue;
            }

            try
            {
                var observation = await ObserveAsync(pulls[i].Repository, pulls[i].PullRequest, cancellationToken);
                requests += observation.Calls;
                notModified += observation.NotModified;
                readings[i] = new PullRequestReading(observation, null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                readings[i] = new PullRequestReading(null, e.Message);
            }
        }

        return new PullRequestBatch(readings!, requests, notModified, points);
    }

    /// <inheritdoc />
    public async Task<PullRequestObservation> ObserveAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var root = Root(repository);
        var validators = pullRequest.Validators;
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        int calls = 0, notModified = 0;

        async Task<JsonNode?> ReadAsync(string what, string path)
        {
            calls++;
            try
            {
                var (body, etag) = await _reader.GetAsync(what, path, validators.GetValueOrDefault(path), cancellationToken);
                if (etag is not null)
                {
                    next[path] = etag;
                }

                notModified += body is null ? 1 : 0;
                return body;
            }
            catch (GitHubResponseException e) when (e.Status == 404)
            {
                throw new RunFailedException($"GitHub no longer shows {repository}#{pullRequest.Number} to the service account.");
            }
            catch (GitHubResponseException e)
            {
                throw new RunFailedException($"GitHub did not answer the request to {what} ({e.Status}: {e.Message}).");
            }
        }

        var pullPath = $"{root}/pulls/{pullRequest.Number}";
        var pull = await ReadAsync($"read {repository}#{pullRequest.Number}", pullPath);
        var state = pullRequest.State;
        var draft = pullRequest.Draft;
        var head = pullRequest.HeadSha ?? "";
        var signals = pullRequest.Signals;
        bool? mergeable = null;
        DateTimeOffset? updatedAt = null;
        if (pull is not null)
        {
            updatedAt = GitHubWebhookEvents.UpdatedAt(pull);
            state = pull["merged"]?.GetValue<bool>() == true ? PullRequestState.Merged
                : pull["state"]?.GetValue<string>() == "closed" ? PullRequestState.Closed
                : PullRequestState.Open;
            draft = pull["draft"]?.GetValue<bool>() ?? false;
            mergeable = pull["mergeable"]?.GetValue<bool?>();
            head = pull["head"]?["sha"]?.GetValue<string>() ?? head;
            var requested = (pull["requested_reviewers"]?.AsArray().Count ?? 0) + (pull["requested_teams"]?.AsArray().Count ?? 0) > 0;
            var reviewsPath = $"{pullPath}/reviews?per_page=100";
            var reviews = await ReadAsync($"read the reviews of {repository}#{pullRequest.Number}", reviewsPath);
            signals = signals with { ReviewRequested = requested, Reviews = reviews is null ? signals.Reviews : LatestReviews(reviews.AsArray()) };
        }
        else if (validators.Keys.FirstOrDefault(k => k.StartsWith($"{pullPath}/reviews", StringComparison.Ordinal)) is { } kept)
        {
            // Not read this time: the tag stays for the next time the pull request changes.
            next[kept] = validators[kept];
        }

        if (!string.Equals(head, pullRequest.HeadSha, StringComparison.OrdinalIgnoreCase))
        {
            // A new head commit: its checks start from nothing, and the old commit's tags are useless.
            signals = signals with { Statuses = new Dictionary<string, ChecksState>(), CheckRuns = new Dictionary<string, ChecksState>(), CheckRunSuites = new Dictionary<string, long>() };
        }

        var status = await ReadAsync($"read the commit statuses of {repository}@{Short(head)}", $"{root}/commits/{head}/status?per_page=100");
        if (status is not null)
        {
            signals = signals with { Statuses = Statuses(status) };
        }

        var checkRuns = await ReadAsync($"read the check runs of {repository}@{Short(head)}", $"{root}/commits/{head}/check-runs?per_page=100");
        if (checkRuns is not null)
        {
            signals = signals with { CheckRuns = CheckRuns(checkRuns, out var suites), CheckRunSuites = suites };
        }

        return new PullRequestObservation(state, draft, head, signals, next, calls, notModified, updatedAt, mergeable);
    }

    /// <inheritdoc />
    public async Task CloseAsync(string repository, PullRequest pullRequest, string? comment, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        var client = connection.Client;
        try
        {
            if (!string.IsNullOrWhiteSpace(comment))
            {
                await calls.WriteAsync($"comment on {repository}#{pullRequest.Number}", () => client.Issue.Comment.Create(owner, name, pullRequest.Number, comment), cancellationToken);
            }

            await calls.WriteAsync(
                $"close {repository}#{pullRequest.Number}",
                () => client.PullRequest.Update(owner, name, pullRequest.Number, new PullRequestUpdate { State = ItemState.Closed }),
                cancellationToken);
        }
        catch (NotFoundException)
        {
            throw new RunFailedException($"GitHub no longer shows {repository}#{pullRequest.Number} to the service account.");
        }
        catch (ApiException e) when (e is ForbiddenException or ApiValidationException)
        {
            throw new RunFailedException($"GitHub refused to close {repository}#{pullRequest.Number} ({e.ApiError?.Message ?? e.Message}).");
        }
    }

    /// <inheritdoc />
    public async Task DeleteBranchAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        var client = connection.Client;
        try
        {
            await calls.WriteAsync(
                $"delete the branch {pullRequest.Branch} of {repository}",
                async () =>
                {
                    await client.Git.Reference.Delete(owner, name, $"heads/{pullRequest.Branch}");
                    return true;
                },
                cancellationToken);
        }
        catch (ApiValidationException e) when (e.ApiError?.Message?.Contains("Reference does not exist", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Deleted already (by GitHub's "delete branch" button, say): nothing left to do.
        }
        catch (NotFoundException)
        {
            // The same, as older GitHub versions answer it.
        }
        catch (ForbiddenException e)
        {
            throw new RunFailedException($"The service account may not delete {pullRequest.Branch} of {repository} ({e.Message}).");
        }
    }

    /// <inheritdoc />
    public Task<string> PublishVerificationAsync(string repository, string headSha, VerificationReport report, CancellationToken cancellationToken) =>
        _verification.PublishAsync(repository, headSha, report, cancellationToken);

    /// <inheritdoc />
    public async Task<(IReadOnlyList<string> Head, IReadOnlyList<string> Base)> FailingChecksAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var root = Root(repository);
        async Task<JsonNode?> GetAsync(string what, string path)
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

        async Task<IReadOnlyList<string>> FailingAsync(string sha)
        {
            var status = await GetAsync($"read the commit statuses of {repository}@{Short(sha)}", $"{root}/commits/{Uri.EscapeDataString(sha)}/status?per_page=100");
            var runs = await GetAsync($"read the check runs of {repository}@{Short(sha)}", $"{root}/commits/{Uri.EscapeDataString(sha)}/check-runs?per_page=100");
            return [.. (status is null ? [] : Statuses(status)).Concat(runs is null ? [] : CheckRuns(runs, out _))
                .Where(x => x.Value == ChecksState.Failure).Select(x => x.Key).Distinct().Order(StringComparer.Ordinal)];
        }

        var pull = await GetAsync($"read {repository}#{pullRequest.Number}", $"{root}/pulls/{pullRequest.Number}");
        var head = pull?["head"]?["sha"]?.GetValue<string>() ?? pullRequest.HeadSha ?? "";
        var @base = pull?["base"]?["sha"]?.GetValue<string>() ?? pull?["base"]?["ref"]?.GetValue<string>();
        return (await FailingAsync(head), @base is null ? [] : await FailingAsync(@base));
    }

    /// <inheritdoc />
    public async Task CommentAsync(string repository, PullRequest pullRequest, string comment, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        try
        {
            await calls.WriteAsync(
                $"comment on {repository}#{pullRequest.Number}",
                () => connection.Client.Issue.Comment.Create(owner, name, pullRequest.Number, comment),
                cancellationToken,
                safeToRepeat: false);
        }
        catch (ApiException e) when (e is NotFoundException or ForbiddenException or ApiValidationException)
        {
            throw new RunFailedException($"GitHub refused the comment on {repository}#{pullRequest.Number} ({e.ApiError?.Message ?? e.Message}).");
        }
    }

    /// <inheritdoc />
    public async Task<MergeAttempt> MergeAsync(string repository, PullRequest pullRequest, Core.Publishing.MergeMethod method, CancellationToken cancellationToken)
    {
        try
        {
            return await _merger.MergeAsync(repository, pullRequest, method, cancellationToken);
        }
        catch (GitHubResponseException e)
        {
            throw GitHubWrites.Refused($"merge {repository}#{pullRequest.Number}", e);
        }
    }

    /// <inheritdoc />
    public async Task<MergeAttempt> EnableAutoMergeAsync(string repository, PullRequest pullRequest, Core.Publishing.MergeMethod method, CancellationToken cancellationToken)
    {
        try
        {
            return await _merger.EnableAutoMergeAsync(repository, pullRequest, method, cancellationToken);
        }
        catch (GitHubResponseException e)
        {
            throw GitHubWrites.Refused($"enable auto-merge on {repository}#{pullRequest.Number}", e);
        }
    }

    /// <inheritdoc />
    public Task<RoundMaterial> ReadRoundAsync(string repository, PullRequest pullRequest, FollowUpRound round, CancellationToken cancellationToken) =>
        _rounds.ReadAsync(repository, pullRequest, round, cancellationToken);

    /// <inheritdoc />
    public Task ReplyAsync(string repository, PullRequest pullRequest, long commentId, string body, CancellationToken cancellationToken) =>
        _rounds.ReplyAsync(repository, pullRequest, commentId, body, cancellationToken);

    /// <inheritdoc />
    public Task RequestReviewAsync(string repository, PullRequest pullRequest, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        _rounds.RequestReviewAsync(repository, pullRequest, logins, cancellationToken);

    // The latest review per reviewer that says something about the change; a comment does not undo an approval.
    private static Dictionary<string, string> LatestReviews(JsonArray reviews)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var review in reviews.OrderBy(r => r?["submitted_at"]?.GetValue<string>() ?? "", StringComparer.Ordinal))
        {
            var login = review?["user"]?["login"]?.GetValue<string>();
            var state = review?["state"]?.GetValue<string>()?.ToLowerInvariant();
            if (login is null || state is null or "pending" || (state == "commented" && latest.ContainsKey(login)))
            {
                continue;
            }

            latest[login] = state;
        }

        return latest;
    }

    private static Dictionary<string, ChecksState> Statuses(JsonNode combined)
    {
        var result = new Dictionary<string, ChecksState>(StringComparer.Ordinal);
        foreach (var status in combined["statuses"]?.AsArray() ?? [])
        {
            if (status?["context"]?.GetValue<string>() is { } context)
            {
                result[context] = StatusState(status["state"]?.GetValue<string>());
            }
        }

        return result;
    }

    private static Dictionary<string, ChecksState> CheckRuns(JsonNode list, out Dictionary<string, long> suites)
    {
        var result = new Dictionary<string, ChecksState>(StringComparer.Ordinal);
        suites = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var run in (list["check_runs"]?.AsArray() ?? []).OrderBy(r => r?["id"]?.GetValue<long>() ?? 0))
        {
            if (run?["name"]?.GetValue<string>() is { } name)
            {
                result[name] = CheckRunState(run["status"]?.GetValue<string>(), run["conclusion"]?.GetValue<string>());
                if (run["check_suite"]?["id"]?.GetValue<long>() is { } suite)
                {
                    suites[name] = suite;
                }
            }
        }

        return result;
    }

    /// <summary>A commit status <c>state</c> as checks: error and failure fail.</summary>
    public static ChecksState StatusState(string? state) => state switch
    {
        "success" => ChecksState.Success,
        "failure" or "error" => ChecksState.Failure,
        _ => ChecksState.Pending,
    };

    /// <summary>A check run's (or suite's) <c>status</c> and <c>conclusion</c> as checks.</summary>
    public static ChecksState CheckRunState(string? status, string? conclusion) => status != "completed"
        ? ChecksState.Pending
        : conclusion switch
        {
            "success" or "neutral" or "skipped" => ChecksState.Success,
            "stale" => ChecksState.Pending,
            _ => ChecksState.Failure,
        };

    private static string Root(string repository)
    {
        var (owner, name) = Split(repository);
        return $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}";
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static (string Owner, string Name) Split(string fullName)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? (fullName[..slash], fullName[(slash + 1)..]) : throw new RunFailedException($"{fullName} is not owner/name.");
    }
}
