namespace CodyBatch.Testing.GitHub;

/// <summary>
/// GitHub's GraphQL API (<c>POST /graphql</c>, or <c>/api/graphql</c> as GitHub Enterprise Server serves it) for the
/// fields pull request tracking reads: <c>repository { pullRequest(number:) { … } }</c> with state, draft, head,
/// mergeable state, review decision, reviews, review requests and the head commit's <c>statusCheckRollup</c>, and
/// <c>rateLimit</c>. The query is parsed and checked before it runs, as GitHub documents ("Rate limits and node limits
/// for the GraphQL API"): every connection needs <c>first</c> or <c>last</c> of 1 to 100, a query may ask for at most
/// 500,000 nodes, and its cost (requests for every connection, assuming each is full, divided by 100, at least 1) is
/// taken from a budget of 5,000 points an hour, with <c>x-ratelimit-*</c> headers of resource <c>graphql</c> and
/// <c>RATE_LIMITED</c> once it is spent. Unknown fields, missing objects and refused repositories get GitHub's error
/// shapes (<c>undefinedField</c>, <c>NOT_FOUND</c>, <c>FORBIDDEN</c>) beside the data that could be read.
/// </summary>
public sealed partial class FakeGitHubApi
{
    public const int GraphQlPointsPerHour = 5000;
    public const int GraphQlMaxNodes = 500_000;

    private static readonly Dictionary<string, Dictionary<string, string>> GraphQlSchema = new(StringComparer.Ordinal)
    {
        ["Query"] = new() { ["repository"] = "Repository", ["rateLimit"] = "RateLimit", ["viewer"] = "User" },
        ["RateLimit"] = new() { ["cost"] = "Int", ["limit"] = "Int", ["remaining"] = "Int", ["used"] = "Int", ["resetAt"] = "DateTime", ["nodeCount"] = "Int" },
        ["User"] = new() { ["login"] = "String" },
        ["Repository"] = new() { ["id"] = "ID", ["name"] = "String", ["nameWithOwner"] = "String", ["url"] = "URI", ["owner"] = "User", ["pullRequest"] = "PullRequest" },
        ["PullRequest"] = new()
        {
            ["id"] = "ID", ["number"] = "Int", ["url"] = "URI", ["state"] = "PullRequestState", ["isDraft"] = "Boolean", ["merged"] = "Boolean",
            ["headRefOid"] = "GitObjectID", ["headRefName"] = "String", ["baseRefName"] = "String", ["mergeable"] = "MergeableState",
            ["reviewDecision"] = "PullRequestReviewDecision", ["updatedAt"] = "DateTime",
            ["commits"] = "PullRequestCommitConnection", ["latestOpinionatedReviews"] = "PullRequestReviewConnection",
            ["latestReviews"] = "PullRequestReviewConnection", ["reviewRequests"] = "ReviewRequestConnection",
        },
        ["PullRequestCommitConnection"] = new() { ["totalCount"] = "Int", ["nodes"] = "PullRequestCommit" },
        ["PullRequestCommit"] = new() { ["commit"] = "Commit" },
        ["Commit"] = new() { ["oid"] = "GitObjectID", ["statusCheckRollup"] = "StatusCheckRollup" },
        ["StatusCheckRollup"] = new() { ["state"] = "StatusState", ["contexts"] = "StatusCheckRollupContextConnection" },
        ["StatusCheckRollupContextConnection"] = new() { ["totalCount"] = "Int", ["nodes"] = "StatusCheckRollupContext" },
        ["StatusCheckRollupContext"] = [],
        ["CheckRun"] = new() { ["databaseId"] = "Int", ["name"] = "String", ["status"] = "CheckStatusState", ["conclusion"] = "CheckConclusionState", ["checkSuite"] = "CheckSuite" },
        ["CheckSuite"] = new() { ["databaseId"] = "Int" },
        ["StatusContext"] = new() { ["context"] = "String", ["state"] = "StatusState" },
        ["PullRequestReviewConnection"] = new() { ["totalCount"] = "Int", ["nodes"] = "PullRequestReview" },
        ["PullRequestReview"] = new() { ["state"] = "PullRequestReviewState", ["submittedAt"] = "DateTime", ["author"] = "User" },
        ["ReviewRequestConnection"] = new() { ["totalCount"] = "Int", ["nodes"] = "ReviewRequest" },
        ["ReviewRequest"] = new() { ["requestedReviewer"] = "User" },
    };

    private static readonly Dictionary<string, string[]> GraphQlUnions = new(StringComparer.Ordinal) { ["StatusCheckRollupContext"] = ["CheckRun", "StatusContext"] };

    private readonly Recorded<(string Query, int Cost, long Nodes)> _graphQlQueries = new();
    private readonly HashSet<string> _graphQlForbidden = new(StringComparer.OrdinalIgnoreCase);
    private int _graphQlUsed;
    private DateTimeOffset? _graphQlReset;
    private int _graphQlLimit = GraphQlPointsPerHour;

    /// <summary>
    /// Whether <c>/graphql</c> exists. False answers it 404 with GitHub's REST body, as a GitHub Enterprise Server
    /// whose GraphQL endpoint is unavailable does.
    /// </summary>
    public bool GraphQlAvailable { get; set; } = true;

    /// <summary>Every GraphQL query that ran, with its cost and its node count as GitHub computes them.</summary>
    public IReadOnlyList<(string Query, int Cost, long Nodes)> GraphQlQueries => _graphQlQueries.Snapshot();

    /// <summary>GraphQL rate limit points used in the current hour.</summary>
    public int GraphQlPointsUsed => Volatile.Read(ref _graphQlUsed);

    /// <summary>GraphQL answers <c>FORBIDDEN</c> for <paramref name="fullName"/> (a token without access to it over GraphQL).</summary>
    public void ForbidGraphQl(string fullName)
    {
        lock (_graphQlForbidden)
        {
            _graphQlForbidden.Add(fullName);
        }
    }

    /// <summary>Sets the GraphQL budget: <paramref name="remaining"/> points left of <paramref name="limit"/> until <paramref name="resetIn"/>.</summary>
    public void LimitGraphQlPoints(int remaining, TimeSpan resetIn, int limit = GraphQlPointsPerHour)
    {
        lock (_graphQlQueries)
        {
            _graphQlLimit = limit;
            _graphQlUsed = limit - remaining;
            _graphQlReset = Clock.GetUtcNow() + resetIn;
        }
    }

    private async Task GraphQlAsync(HttpContext context, FakeGitHubRequest request)
    {
        if (!GraphQlAvailable)
        {
            await JsonAsync(context, 404, new JsonObject { ["message"] = "Not Found", ["documentation_url"] = "https://docs.github.com/rest" });
            return;
        }

        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body)?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            Problem($"POST /graphql: body is not a JSON object ({e.Message})");
            await JsonAsync(context, 400, new JsonObject { ["message"] = "Problems parsing JSON", ["documentation_url"] = "https://docs.github.com/graphql" });
            return;
        }

        if (body["query"]?.GetValue<string>() is not { Length: > 0 } query)
        {
            Problem("POST /graphql without a query");
            await JsonAsync(context, 400, new JsonObject { ["message"] = "A query attribute must be specified and must be a string.", ["documentation_url"] = "https://docs.github.com/graphql" });
            return;
        }

        if (await AutoMergeMutationAsync(context, query, body["variables"] as JsonObject))
        {
            return;
        }

        IReadOnlyList<GraphQlField> selections;
        try
        {
            selections = GraphQlDocument.Parse(query, body["variables"] as JsonObject);
        }
        catch (FormatException e)
        {
            Problem($"POST /graphql: {e.Message}");
            await JsonAsync(context, 200, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = e.Message }) });
            return;
        }

        var check = new GraphQlCheck();
        check.Walk("Query", selections, 1);
        if (check.Errors.Count > 0)
        {
            Problem($"POST /graphql refused: {string.Join("; ", check.Errors.Select(e => e["message"]!.GetValue<string>()))}");
            await JsonAsync(context, 200, new JsonObject { ["errors"] = new JsonArray([.. check.Errors]) });
            return;
        }

        if (check.Nodes > GraphQlMaxNodes)
        {
            Problem($"POST /graphql asked for {check.Nodes:N0} nodes");
            await JsonAsync(context, 200, new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["type"] = "MAX_NODE_LIMIT_EXCEEDED",
                    ["message"] = string.Create(CultureInfo.InvariantCulture, $"This query requests up to {check.Nodes:N0} possible nodes which exceeds the maximum limit of {GraphQlMaxNodes:N0}."),
                }),
            });
            return;
        }

        // The cost, as documented: one request per connection per parent object, each assumed full; divided by 100; at least 1.
        var cost = Math.Max(1, (int)Math.Round(check.Requests / 100.0, MidpointRounding.AwayFromZero));
        int limit, used;
        DateTimeOffset reset;
        bool limited;
        lock (_graphQlQueries)
        {
            var now = Clock.GetUtcNow();
            if (_graphQlReset is not { } r || r <= now)
            {
                (_graphQlUsed, _graphQlReset) = (0, now.AddHours(1));
            }

            limited = _graphQlUsed + cost > _graphQlLimit;
            if (!limited)
            {
                _graphQlUsed += cost;
            }

            (limit, used, reset) = (_graphQlLimit, _graphQlUsed, _graphQlReset!.Value);
        }

        var headers = context.Response.Headers;
        headers["x-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining"] = Math.Max(0, limit - used).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-used"] = used.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-resource"] = "graphql";
        if (limited)
        {
            Problem($"POST /graphql of cost {cost} sent with {limit - used} points left until {reset:HH:mm:ss}");
            await JsonAsync(context, 200, new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject { ["type"] = "RATE_LIMITED", ["message"] = "API rate limit exceeded for user ID 1." }),
            });
            return;
        }

        _graphQlQueries.Add((query, cost, check.Nodes));
        var run = new GraphQlRun(this, context, new GraphQlRateLimit(cost, limit, limit - used, used, reset, check.Nodes));
        var data = run.Object("Query", null, selections, []);
        var answer = new JsonObject { ["data"] = data };
        if (run.Errors.Count > 0)
        {
            answer["errors"] = new JsonArray([.. run.Errors]);
        }

        await JsonAsync(context, 200, answer);
    }

    private bool GraphQlForbids(string fullName)
    {
        lock (_graphQlForbidden)
        {
            return _graphQlForbidden.Contains(fullName);
        }
    }

    private sealed record GraphQlRateLimit(int Cost, int Limit, int Remaining, int Used, DateTimeOffset ResetAt, long Nodes);

    private sealed record GraphQlConnection(IReadOnlyList<object> Items);

    private sealed record GraphQlCommit(FakeGitHubRepository Repository, string Sha);

    private sealed record GraphQlRollup(List<(string Type, JsonObject Item)> Contexts);

    private sealed record GraphQlSuite(JsonObject Json);

    // The checks GitHub makes before running a query: known fields, pagination bounds, nodes and the requests behind the cost.
    private sealed class GraphQlCheck
    {
        public List<JsonObject> Errors { get; } = [];

        public long Nodes { get; private set; }

        public long Requests { get; private set; }

        public void Walk(string type, IReadOnlyList<GraphQlField> fields, long parents)
        {
            foreach (var field in fields)
            {
                if (field.Name == "...")
                {
                    var on = field.OnType!;
                    if (on != type && !(GraphQlUnions.TryGetValue(type, out var members) && members.Contains(on)))
                    {
                        Errors.Add(Error($"Fragment on {on} can't be spread inside {type}", field, "undefinedType"));
                        continue;
                    }

                    Walk(on, field.Selections, parents);
                    continue;
                }

                if (field.Name == "__typename")
                {
                    continue;
                }

                if (!GraphQlSchema[type].TryGetValue(field.Name, out var result))
                {
                    var error = Error($"Field '{field.Name}' doesn't exist on type '{type}'", field, "undefinedField");
                    error["extensions"]!["typeName"] = type;
                    error["extensions"]!["fieldName"] = field.Name;
                    Errors.Add(error);
                    continue;
                }

                var scope = parents;
                if (result.EndsWith("Connection", StringComparison.Ordinal))
                {
                    var bound = field.Arguments.GetValueOrDefault("first") ?? field.Arguments.GetValueOrDefault("last");
                    var which = field.Arguments.ContainsKey("first") ? "first" : "last";
                    if (bound is null)
                    {
                        Errors.Add(Error($"You must provide a `first` or `last` value to properly paginate the `{field.Name}` connection.", field, null, "MISSING_PAGINATION_BOUNDARIES"));
                        continue;
                    }

                    var count = bound.GetValue<long>();
                    if (count is < 1 or > 100)
                    {
                        Errors.Add(Error(
                            count > 100
                                ? $"Requesting {count} records on the `{field.Name}` connection exceeds the `{which}` limit of 100 records."
                                : $"`{which}` on the `{field.Name}` connection cannot be less than 1.",
                            field,
                            null,
                            count > 100 ? "EXCESSIVE_PAGINATION" : "INVALID_PAGINATION"));
                        continue;
                    }

                    Requests += parents;
                    scope = parents * count;
                    Nodes += scope;
                }

                if (GraphQlSchema.ContainsKey(result))
                {
                    if (field.Selections.Count == 0)
                    {
                        Errors.Add(Error($"Field must have selections (field '{field.Name}' returns {result} but has no selections.)", field, "selectionMismatch"));
                        continue;
                    }

                    Walk(result, field.Selections, scope);
                }
                else if (field.Selections.Count > 0)
                {
                    Errors.Add(Error($"Selections can't be made on scalars (field '{field.Name}' returns {result} but has selections [{string.Join(", ", field.Selections.Select(s => s.Name))}])", field, "selectionMismatch"));
                }
            }
        }

        private static JsonObject Error(string message, GraphQlField field, string? code, string? type = null)
        {
            var error = new JsonObject
            {
                ["message"] = message,
                ["locations"] = new JsonArray(new JsonObject { ["line"] = field.Line, ["column"] = field.Column }),
            };
            if (type is not null)
            {
                error["type"] = type;
            }

            if (code is not null)
            {
                error["extensions"] = new JsonObject { ["code"] = code };
            }

            return error;
        }
    }
}
