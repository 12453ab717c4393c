using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.PullRequests;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Identity;
using PullRequest = CodyBatch.Core.PullRequests.PullRequest;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// Reads many pull requests in one GitHub GraphQL query: state, draft, head, mergeable state, review decision,
/// the latest opinionated reviews, review requests and the head commit's combined checks (<c>statusCheckRollup</c>),
/// for up to <see cref="MaxPullRequestsPerQuery"/> pull requests of one token per query, reading back
/// <c>rateLimit { cost remaining resetAt }</c>. Within GitHub's documented limits by construction: every connection
/// asks for at most 100, a pull request for 202 nodes (so a query for 50 stays far below 500,000) at a cost of 2 points.
/// A pull request GraphQL could not read for lack of access (<c>FORBIDDEN</c>) is left to the caller's REST fallback.
/// </summary>
internal sealed class GraphQlPullRequestReader(GitHubConnection connection, GitHubCalls calls)
{
    /// <summary>Most pull requests one query asks for.</summary>
    public const int MaxPullRequestsPerQuery = 50;

    private const string Fragment = """
        fragment pull on PullRequest {
          number state isDraft headRefOid mergeable reviewDecision updatedAt
          reviewRequests(first: 1) { totalCount }
          latestOpinionatedReviews(first: 100) { nodes { state author { login } } }
          commits(last: 1) { nodes { commit { oid statusCheckRollup { state contexts(first: 100) { totalCount nodes {
            __typename
            ... on CheckRun { name status conclusion checkSuite { databaseId } }
            ... on StatusContext { context state }
          } } } } } }
        }
        """;

    /// <summary>What one query said: per pull request (by position in the batch) an observation, a problem, or nothing (use REST).</summary>
    public sealed record Answer(IReadOnlyList<PullRequestReading?> Readings, int Cost, int? Remaining, DateTimeOffset? ResetAt);

    /// <summary>
    /// Reads <paramref name="pulls"/> (at most <see cref="MaxPullRequestsPerQuery"/>, all under <paramref name="owner"/>'s token) in one query.
    /// Throws <see cref="GitHubResponseException"/> when GitHub answered the request itself with an error status (404: no GraphQL here).
    /// </summary>
    public async Task<Answer> ReadAsync(string? owner, IReadOnlyList<(string Repository, PullRequest PullRequest)> pulls, CancellationToken cancellationToken)
    {
        var repositories = pulls.Select(p => p.Repository).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var query = new StringBuilder("query {\n  rateLimit { cost remaining resetAt }\n");
        for (var r = 0; r < repositories.Count; r++)
        {
            var (repositoryOwner, name) = Split(repositories[r]);
            query.Append(CultureInfo.InvariantCulture, $"  r{r}: repository(owner: {Literal(repositoryOwner)}, name: {Literal(name)}) {{\n");
            foreach (var number in pulls.Where(p => string.Equals(p.Repository, repositories[r], StringComparison.OrdinalIgnoreCase)).Select(p => p.PullRequest.Number).Distinct())
            {
                query.Append(CultureInfo.InvariantCulture, $"    p{number}: pullRequest(number: {number}) {{ ...pull }}\n");
            }

            query.Append("  }\n");
        }

        query.Append("}\n").Append(Fragment);
        var body = await calls.ReadAsync(
            $"read {pulls.Count} pull requests over GraphQL",
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, GraphQlUri(connection.Http.BaseAddress!))
                {
                    Content = JsonContent.Create(new JsonObject { ["query"] = query.ToString() }),
                };
                if (owner is not null)
                {
                    request.Options.Set(GitHubAuthenticationHandler.OwnerKey, owner);
                }

                using var response = await connection.Http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw await GitHubResponseException.FromAsync(response, cancellationToken);
                }

                return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            },
            cancellationToken);

        var errors = body["errors"]?.AsArray() ?? [];
        if (body["data"] is not JsonObject data)
        {
            // The query as a whole was refused (rate limited, over a limit): GitHub says why in the errors.
            var why = string.Join("; ", errors.Select(e => $"{e?["type"]?.GetValue<string>() ?? "ERROR"}: {e?["message"]?.GetValue<string>()}"));
            throw new GitHubResponseException(200, new Dictionary<string, string>(), $"GitHub refused the GraphQL query ({why}).");
        }

        var readings = new List<PullRequestReading?>(pulls.Count);
        foreach (var (repository, pull) in pulls)
        {
            var r = repositories.FindIndex(x => string.Equals(x, repository, StringComparison.OrdinalIgnoreCase));
            var error = errors.FirstOrDefault(e => ErrorPath(e) is [var first, ..] && first == $"r{r}"
                && (ErrorPath(e) is not [_, var second, ..] || second == $"p{pull.Number}"));
            var node = data[$"r{r}"]?[$"p{pull.Number}"];
            readings.Add(error?["type"]?.GetValue<string>() switch
            {
                "NOT_FOUND" => new PullRequestReading(null, $"GitHub no longer shows {repository}#{pull.Number} to the service account."),
                "FORBIDDEN" => null,
                _ when node is JsonObject found => new PullRequestReading(Observe(found, pull), null),
                _ => null,
            });
        }

        var limit = data["rateLimit"];
        return new Answer(
            readings,
            limit?["cost"]?.GetValue<int>() ?? 0,
            limit?["remaining"]?.GetValue<int>(),
            limit?["resetAt"]?.GetValue<string>() is { } reset ? DateTimeOffset.Parse(reset, CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The GraphQL endpoint beside a REST root: <c>/graphql</c> on github.com, <c>/api/graphql</c> on GitHub Enterprise Server.</summary>
    public static Uri GraphQlUri(Uri restRoot)
    {
        var root = restRoot.AbsoluteUri.TrimEnd('/');
        return root.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase)
            ? new Uri(root[..^"/v3".Length] + "/graphql")
            : new Uri(root + "/graphql");
    }

    private static PullRequestObservation Observe(JsonObject node, PullRequest pull)
    {
        var state = node["state"]?.GetValue<string>() switch
        {
            "MERGED" => PullRequestState.Merged,
            "CLOSED" => PullRequestState.Closed,
            _ => PullRequestState.Open,
        };
        var reviews = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var review in node["latestOpinionatedReviews"]?["nodes"]?.AsArray() ?? [])
        {
            if (review?["author"]?["login"]?.GetValue<string>() is { } login && review["state"]?.GetValue<string>() is { } reviewState)
            {
                reviews[login] = reviewState.ToLowerInvariant();
            }
        }

        var statuses = new Dictionary<string, ChecksState>(StringComparer.Ordinal);
        var checkRuns = new Dictionary<string, ChecksState>(StringComparer.Ordinal);
        var suites = new Dictionary<string, long>(StringComparer.Ordinal);
        var commit = node["commits"]?["nodes"]?.AsArray().LastOrDefault()?["commit"];
        var rollup = commit?["statusCheckRollup"];
        var contexts = rollup?["contexts"]?["nodes"]?.AsArray() ?? [];
        foreach (var context in contexts)
        {
            if (context?["__typename"]?.GetValue<string>() == "CheckRun" && context["name"]?.GetValue<string>() is { } name)
            {
                checkRuns[name] = GitHubPullRequestHost.CheckRunState(
                    context["status"]?.GetValue<string>()?.ToLowerInvariant(), context["conclusion"]?.GetValue<string>()?.ToLowerInvariant());
                if (context["checkSuite"]?["databaseId"]?.GetValue<long>() is { } suite)
                {
                    suites[name] = suite;
                }
            }
            else if (context?["context"]?.GetValue<string>() is { } statusContext)
            {
                statuses[statusContext] = GitHubPullRequestHost.StatusState(context["state"]?.GetValue<string>()?.ToLowerInvariant());
            }
        }

        // More than one page of checks: GitHub's combined state stands for the ones not read.
        if ((rollup?["contexts"]?["totalCount"]?.GetValue<int>() ?? 0) > contexts.Count && rollup?["state"]?.GetValue<string>() is { } combined)
        {
            statuses["(combined)"] = GitHubPullRequestHost.StatusState(combined.ToLowerInvariant());
        }

        var signals = pull.Signals with
        {
            Statuses = statuses,
            CheckRuns = checkRuns,
            CheckRunSuites = suites,
            Reviews = reviews,
            ReviewRequested = (node["reviewRequests"]?["totalCount"]?.GetValue<int>() ?? 0) > 0,
            ReviewDecision = node["reviewDecision"]?.GetValue<string>(),
        };
        var mergeable = node["mergeable"]?.GetValue<string>() switch { "MERGEABLE" => true, "CONFLICTING" => (bool?)false, _ => null };
        var updatedAt = node["updatedAt"]?.GetValue<string>() is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        return new PullRequestObservation(
            state, node["isDraft"]?.GetValue<bool>() ?? false, node["headRefOid"]?.GetValue<string>() ?? pull.HeadSha ?? "", signals, pull.Validators, 0, 0, updatedAt, mergeable);
    }

    private static string[] ErrorPath(JsonNode? error) =>
        [.. (error?["path"]?.AsArray() ?? []).Select(p => p?.ToString() ?? "")];

    // A GraphQL string literal: JSON's string syntax is valid GraphQL.
    private static string Literal(string value) => JsonSerializer.Serialize(value);

    private static (string Owner, string Name) Split(string fullName)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        return (fullName[..slash], fullName[(slash + 1)..]);
    }
}
