namespace CodyBatch.Testing.GitHub;

/// <summary>Runs a checked GraphQL query against what the fake GitHub holds (see FakeGitHubApi.GraphQl.cs).</summary>
public sealed partial class FakeGitHubApi
{
    private sealed class GraphQlRun(FakeGitHubApi api, HttpContext context, GraphQlRateLimit rateLimit)
    {
        public List<JsonObject> Errors { get; } = [];

        public JsonObject Object(string type, object? source, IReadOnlyList<GraphQlField> fields, List<JsonNode> path)
        {
            var result = new JsonObject();
            foreach (var field in fields)
            {
                if (field.Name == "...")
                {
                    if (field.OnType == TypeOf(type, source))
                    {
                        foreach (var (key, spread) in Object(field.OnType!, source, field.Selections, path))
                        {
                            result[key] = spread?.DeepClone();
                        }
                    }

                    continue;
                }

                if (field.Name == "__typename")
                {
                    result[field.Key] = TypeOf(type, source);
                    continue;
                }

                var fieldPath = new List<JsonNode>(path) { field.Key };
                var value = Resolve(type, source, field, fieldPath);
                var resultType = GraphQlSchema[type][field.Name];
                result[field.Key] = value switch
                {
                    null => null,
                    GraphQlConnection connection => Connection(resultType, connection, field, fieldPath),
                    JsonNode leaf => leaf,
                    string text => text,
                    int number => number,
                    long number => number,
                    bool flag => flag,
                    var item => Object(resultType, item, field.Selections, fieldPath),
                };
            }

            return result;
        }

        private static string TypeOf(string type, object? source) => source switch
        {
            (string union, JsonObject) => union,
            _ => type,
        };

        private JsonObject Connection(string type, GraphQlConnection connection, GraphQlField field, List<JsonNode> path)
        {
            var count = (int)(field.Arguments.GetValueOrDefault("first") ?? field.Arguments["last"])!.GetValue<long>();
            var items = field.Arguments.ContainsKey("first") ? connection.Items.Take(count) : connection.Items.TakeLast(count);
            var result = new JsonObject();
            foreach (var selection in field.Selections)
            {
                result[selection.Key] = selection.Name switch
                {
                    "totalCount" => connection.Items.Count,
                    "nodes" => new JsonArray([.. items.Select((item, i) => (JsonNode)Object(GraphQlSchema[type]["nodes"], item, selection.Selections, [.. path, "nodes", i]))]),
                    _ => null,
                };
            }

            return result;
        }

        private object? Resolve(string type, object? source, GraphQlField field, List<JsonNode> path)
        {
            var arguments = field.Arguments;
            switch (type, field.Name, source)
            {
                case ("Query", "rateLimit", _):
                    return Pick(new JsonObject
                    {
                        ["cost"] = rateLimit.Cost,
                        ["limit"] = rateLimit.Limit,
                        ["remaining"] = rateLimit.Remaining,
                        ["used"] = rateLimit.Used,
                        ["resetAt"] = rateLimit.ResetAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                        ["nodeCount"] = rateLimit.Nodes,
                    }, field);
                case ("Query", "viewer", _):
                    return Pick(new JsonObject { ["login"] = api.LoginOf(context) }, field);
                case ("Query", "repository", _):
                {
                    var fullName = $"{arguments.GetValueOrDefault("owner")}/{arguments.GetValueOrDefault("name")}";
                    var account = context.Items["account"] as string;
                    if (!api._repositories.TryGetValue(fullName, out var repository)
                        || (account is not null && !repository.Owner.Equals(account, StringComparison.OrdinalIgnoreCase)))
                    {
                        Error(path, "NOT_FOUND", $"Could not resolve to a Repository with the name '{fullName}'.");
                        return null;
                    }

                    if (api.GraphQlForbids(repository.FullName))
                    {
                        Error(path, "FORBIDDEN", "Resource not accessible by integration");
                        return null;
                    }

                    return repository;
                }

                case ("Repository", _, FakeGitHubRepository repository):
                    switch (field.Name)
                    {
                        case "pullRequest":
                            var number = (int)(arguments.GetValueOrDefault("number")?.GetValue<long>() ?? 0);
                            if (api.TryFind(repository, number) is not { } pull)
                            {
                                Error(path, "NOT_FOUND", $"Could not resolve to a PullRequest with the number of {number}.");
                                return null;
                            }

                            return pull;
                        case "owner":
                            return Pick(new JsonObject { ["login"] = repository.Owner }, field);
                        default:
                            return field.Name switch
                            {
                                "id" => $"R_{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(repository.FullName))}",
                                "name" => repository.Name,
                                "nameWithOwner" => repository.FullName,
                                _ => $"https://github.example/{repository.FullName}",
                            };
                    }

                case ("PullRequest", _, FakePull pull):
                    return PullField(pull, field);
                case ("PullRequestCommit", "commit", GraphQlCommit commit):
                    return commit;
                case ("Commit", "oid", GraphQlCommit commit):
                    return commit.Sha;
                case ("Commit", "statusCheckRollup", GraphQlCommit commit):
                {
                    var contexts = Latest(api._checkRuns, $"{commit.Repository.FullName}@{commit.Sha}", "name").Select(r => ("CheckRun", r))
                        .Concat(Latest(api._statuses, $"{commit.Repository.FullName}@{commit.Sha}", "context").Select(s => ("StatusContext", s)))
                        .ToList();
                    return contexts.Count == 0 ? null : new GraphQlRollup(contexts);
                }

                case ("StatusCheckRollup", "state", GraphQlRollup rollup):
                {
                    var states = rollup.Contexts.Select(c => c.Type == "CheckRun"
                        ? c.Item["status"]!.GetValue<string>() != "completed" ? "PENDING"
                            : c.Item["conclusion"]?.GetValue<string>() is "success" or "neutral" or "skipped" ? "SUCCESS" : "FAILURE"
                        : c.Item["state"]!.GetValue<string>().ToUpperInvariant()).ToList();
                    return states.Contains("FAILURE") || states.Contains("ERROR") ? "FAILURE" : states.Contains("PENDING") ? "PENDING" : "SUCCESS";
                }

                case ("StatusCheckRollup", "contexts", GraphQlRollup rollup):
                    return new GraphQlConnection([.. rollup.Contexts.Cast<object>()]);
                case ("CheckRun", _, (string, JsonObject run)):
                    return field.Name switch
                    {
                        "databaseId" => run["id"]!.DeepClone(),
                        "name" => run["name"]!.DeepClone(),
                        "status" => run["status"]!.GetValue<string>().ToUpperInvariant(),
                        "conclusion" => run["conclusion"]?.GetValue<string>()?.ToUpperInvariant(),
                        _ => new GraphQlSuite(run["check_suite"]!.AsObject()),
                    };
                case ("CheckSuite", "databaseId", GraphQlSuite suite):
                    return suite.Json["id"]!.DeepClone();
                case ("StatusContext", _, (string, JsonObject status)):
                    return field.Name == "context" ? status["context"]!.DeepClone() : status["state"]!.GetValue<string>().ToUpperInvariant();
                case ("PullRequestReview", _, JsonObject review):
                    return field.Name switch
                    {
                        "state" => review["state"]!.GetValue<string>().ToUpperInvariant(),
                        "submittedAt" => review["submitted_at"]!.DeepClone(),
                        _ => Pick(new JsonObject { ["login"] = review["user"]!["login"]!.DeepClone() }, field),
                    };
                case ("ReviewRequest", "requestedReviewer", JsonObject reviewer):
                    return Pick(new JsonObject { ["login"] = reviewer["login"]?.DeepClone() }, field);
                default:
                    return null;
            }
        }

        private object? PullField(FakePull pull, GraphQlField field)
        {
            JsonObject json;
            List<JsonObject> reviews;
            lock (api._pulls)
            {
                json = pull.Json.DeepClone().AsObject();
                reviews = [.. pull.Reviews.Select(r => r.DeepClone().AsObject())];
            }

            // The latest review per author that approved or asked for changes (a comment changes no opinion).
            var opinions = reviews
                .GroupBy(r => r["user"]!["login"]!.GetValue<string>())
                .Select(g => g.LastOrDefault(r => r["state"]!.GetValue<string>() is "APPROVED" or "CHANGES_REQUESTED" or "DISMISSED"))
                .OfType<JsonObject>()
                .Where(r => r["state"]!.GetValue<string>() != "DISMISSED")
                .ToList();
            var requested = json["requested_reviewers"]!.AsArray().Concat(json["requested_teams"]!.AsArray()).OfType<JsonObject>().ToList();
            var repository = api._repositories[pull.Repository];
            return field.Name switch
            {
                "id" => $"PR_{pull.Repository}#{pull.Number}",
                "number" => pull.Number,
                "url" => json["html_url"]!.DeepClone(),
                "state" => json["merged"]!.GetValue<bool>() ? "MERGED" : json["state"]!.GetValue<string>().ToUpperInvariant(),
                "isDraft" => json["draft"]!.DeepClone(),
                "merged" => json["merged"]!.DeepClone(),
                "headRefOid" => json["head"]!["sha"]!.DeepClone(),
                "headRefName" => json["head"]!["ref"]!.DeepClone(),
                "baseRefName" => json["base"]!["ref"]!.DeepClone(),
                "mergeable" => json["mergeable"]?.GetValue<bool>() switch { true => "MERGEABLE", false => "CONFLICTING", null => "UNKNOWN" },
                "reviewDecision" => opinions.Any(r => r["state"]!.GetValue<string>() == "CHANGES_REQUESTED") ? "CHANGES_REQUESTED"
                    : opinions.Any(r => r["state"]!.GetValue<string>() == "APPROVED") ? "APPROVED"
                    : requested.Count > 0 ? "REVIEW_REQUIRED" : null,
                "updatedAt" => json["updated_at"]!.DeepClone(),
                "commits" => new GraphQlConnection([new GraphQlCommit(repository, json["head"]!["sha"]!.GetValue<string>())]),
                "latestOpinionatedReviews" => new GraphQlConnection([.. opinions]),
                "latestReviews" => new GraphQlConnection([.. reviews.GroupBy(r => r["user"]!["login"]!.GetValue<string>()).Select(g => g.Last())]),
                _ => new GraphQlConnection([.. requested]),
            };
        }

        private static JsonObject Pick(JsonObject values, GraphQlField field)
        {
            var picked = new JsonObject();
            foreach (var selection in field.Selections)
            {
                picked[selection.Key] = values[selection.Name]?.DeepClone();
            }

            return picked;
        }

        private void Error(List<JsonNode> path, string type, string message) => Errors.Add(new JsonObject
        {
            ["type"] = type,
            ["path"] = new JsonArray([.. path.Select(p => p.DeepClone())]),
            ["locations"] = new JsonArray(),
            ["message"] = message,
        });
    }
}
