using System.Text.RegularExpressions;

namespace CodyBatch.Testing.GitHub;

/// <summary>
/// What the fake GitHub does for a careful pull request, as GitHub's REST documentation describes
/// it: drafts (and repositories without them), labels (get, create with GitHub's 422 bodies, add to
/// an issue), review requests (users and teams; GitHub's 422 for non-collaborators and for the
/// author), assignees (silently dropping who cannot be assigned), and pull requests from
/// <c>owner:branch</c> of a fork (forks: FakeGitHubApi.Forks.cs). The client is expected to
/// create a missing label before adding it, so adding a label that does not exist is a problem.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private static readonly string[] DefaultLabels = ["bug", "documentation", "duplicate", "enhancement", "good first issue", "help wanted", "invalid", "question", "wontfix"];
    private static readonly HashSet<string> PullFields = ["title", "head", "base", "body", "draft", "maintainer_can_modify", "issue", "head_repo"];

    private readonly ConcurrentDictionary<string, HashSet<string>> _labels = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HashSet<string>> _collaborators = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HashSet<string>> _teams = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _noLabelCreation = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The login of the personal token's account (the pull requests' author, the forks' owner).</summary>
    public string AccountLogin { get; set; } = "codybatch-bot";

    /// <summary>What <c>X-OAuth-Scopes</c> says for the personal token (a classic token); null sends no header (a fine-grained token).</summary>
    public string? TokenScopes { get; set; } = "repo";

    /// <summary>Adds labels that exist in <paramref name="repository"/> (beside GitHub's defaults).</summary>
    public void AddLabels(string repository, params string[] labels)
    {
        var set = LabelSet(repository);
        lock (set)
        {
            set.UnionWith(labels);
        }
    }

    /// <summary>The labels <paramref name="repository"/> has.</summary>
    public IReadOnlyCollection<string> LabelsOf(string repository)
    {
        var set = LabelSet(repository);
        lock (set)
        {
            return [.. set];
        }
    }

    /// <summary>Users who may review and be assigned in <paramref name="repository"/>.</summary>
    public void AddCollaborators(string repository, params string[] logins) => _collaborators.GetOrAdd(repository, _ => new(StringComparer.OrdinalIgnoreCase)).UnionWith(logins);

    /// <summary>Teams of the owner's organization with access to <paramref name="repository"/>.</summary>
    public void AddTeams(string repository, params string[] slugs) => _teams.GetOrAdd(repository, _ => new(StringComparer.OrdinalIgnoreCase)).UnionWith(slugs);

    /// <summary>The account may not create labels in <paramref name="repository"/>.</summary>
    public void ForbidLabelCreation(string repository) => _noLabelCreation[repository] = true;

    /// <summary><paramref name="repository"/> has no draft pull requests (a private repository on a plan without them).</summary>
    public void WithoutDrafts(string repository) => _repositories[repository].DraftsSupported = false;

    /// <summary>The pull request <paramref name="number"/> of <paramref name="repository"/> as the fake holds it.</summary>
    public JsonObject? PullRequest(string repository, int number)
    {
        lock (_pulls)
        {
            return _pulls.FirstOrDefault(p => p.Repository == repository && p.Number == number)?.Json.DeepClone().AsObject();
        }
    }

    private HashSet<string> LabelSet(string repository) => _labels.GetOrAdd(repository, _ => new(DefaultLabels, StringComparer.OrdinalIgnoreCase));

    // "branch" means this repository's branch; "owner:branch" the branch of owner's fork of it.
    private (string Repository, string Branch, string Label) HeadOf(FakeGitHubRepository repository, string head)
    {
        var colon = head.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (repository.FullName, head, $"{repository.Owner}:{head}");
        }

        var owner = head[..colon];
        var branch = head[(colon + 1)..];
        if (string.Equals(owner, repository.Owner, StringComparison.OrdinalIgnoreCase))
        {
            return (repository.FullName, branch, head);
        }

        var fork = _forkOf.FirstOrDefault(f => f.Value.Equals(repository.FullName, StringComparison.OrdinalIgnoreCase) && f.Key.StartsWith(owner + "/", StringComparison.OrdinalIgnoreCase)).Key;
        return (fork ?? $"{owner}/{repository.Name}", branch, head);
    }

    private void CheckPullFields(JsonObject json)
    {
        foreach (var field in json.Select(p => p.Key).Where(k => !PullFields.Contains(k)))
        {
            Problem($"create pull request with a field GitHub does not take: {field}");
        }
    }

    private async Task<bool> PublishingRouteAsync(HttpContext context, FakeGitHubRequest request, FakeGitHubRepository repository, string[] s, JsonObject json)
    {
        switch (request.Method, s)
        {
            case ("GET", ["labels", var name]):
                if (LabelsOf(repository.FullName).FirstOrDefault(l => l.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } found)
                {
                    await JsonAsync(context, 200, LabelJson(repository, found));
                }
                else
                {
                    await NotFoundAsync(context);
                }

                return true;
            case ("POST", ["labels"]):
                await CreateLabelAsync(context, repository, json);
                return true;
            case ("POST", ["issues", var number, "labels"]):
                await AddLabelsAsync(context, repository, number, request.Body);
                return true;
            case ("POST", ["issues", var number, "assignees"]):
                await AssignAsync(context, repository, number, json);
                return true;
            case ("POST", ["pulls", var number, "requested_reviewers"]):
                await RequestReviewersAsync(context, repository, number, json);
                return true;
            case ("POST", ["forks"]):
                await ForkAsync(context, repository, json);
                return true;
            default:
                return false;
        }
    }

    private async Task CreateLabelAsync(HttpContext context, FakeGitHubRepository repository, JsonObject json)
    {
        Unexpected("create a label", json, "name", "color", "description");
        var name = json["name"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(name))
        {
            await ValidationFailedAsync(context, "Label", "name", "missing_field");
            return;
        }

        if (json["color"]?.GetValue<string>() is { } color && !Regex.IsMatch(color, "^[0-9a-fA-F]{6}$"))
        {
            await ValidationFailedAsync(context, "Label", "color", "invalid");
            return;
        }

        if (!repository.CanPush || _noLabelCreation.ContainsKey(repository.FullName))
        {
            await JsonAsync(context, 403, new JsonObject { ["message"] = "Must have admin rights to Repository.", ["documentation_url"] = "https://docs.github.com/rest/issues/labels#create-a-label" });
            return;
        }

        var set = LabelSet(repository.FullName);
        bool added;
        lock (set)
        {
            added = set.Add(name);
        }

        if (!added)
        {
            await ValidationFailedAsync(context, "Label", "name", "already_exists");
            return;
        }

        await JsonAsync(context, 201, LabelJson(repository, name, json["color"]?.GetValue<string>(), json["description"]?.GetValue<string>()));
    }

    // GitHub takes { "labels": [...] } or, as its documentation also allows, the array alone.
    private async Task AddLabelsAsync(HttpContext context, FakeGitHubRepository repository, string number, string body)
    {
        var json = body.Length > 0 ? JsonNode.Parse(body) : null;
        if (json is JsonObject wrapped)
        {
            Unexpected("add labels", wrapped, "labels");
        }

        if (Pull(repository, number) is not { } pull)
        {
            await NotFoundAsync(context);
            return;
        }

        var labels = (json as JsonArray ?? json?["labels"] as JsonArray)?.Select(l => l!.GetValue<string>()).ToList() ?? [];
        if (labels.Count == 0)
        {
            await ValidationFailedAsync(context, "Label", "labels", "missing_field");
            return;
        }

        var set = LabelSet(repository.FullName);
        JsonArray result;
        lock (_pulls)
        {
            foreach (var label in labels)
            {
                lock (set)
                {
                    if (set.Add(label))
                    {
                        Problem($"added the label \"{label}\", which does not exist in {repository.FullName}, without creating it first");
                    }
                }

                var onPull = pull["labels"]!.AsArray();
                if (!onPull.Any(l => l!["name"]!.GetValue<string>().Equals(label, StringComparison.OrdinalIgnoreCase)))
                {
                    onPull.Add(LabelJson(repository, label));
                }
            }

            result = pull["labels"]!.DeepClone().AsArray();
        }

        await JsonAsync(context, 200, result);
    }

    private async Task AssignAsync(HttpContext context, FakeGitHubRepository repository, string number, JsonObject json)
    {
        Unexpected("add assignees", json, "assignees");
        if (Pull(repository, number) is not { } pull)
        {
            await NotFoundAsync(context);
            return;
        }

        var assignable = _collaborators.TryGetValue(repository.FullName, out var people) ? people : [];
        JsonObject issue;
        lock (_pulls)
        {
            var assignees = pull["assignees"]!.AsArray();
            foreach (var login in json["assignees"]?.AsArray().Select(a => a!.GetValue<string>()) ?? [])
            {
                // GitHub drops, without an error, whoever cannot be assigned.
                if (assignable.Contains(login) && !assignees.Any(a => a!["login"]!.GetValue<string>().Equals(login, StringComparison.OrdinalIgnoreCase)))
                {
                    assignees.Add(new JsonObject { ["login"] = login });
                }
            }

            issue = new JsonObject
            {
                ["number"] = pull["number"]!.DeepClone(),
                ["title"] = pull["title"]!.DeepClone(),
                ["state"] = "open",
                ["assignees"] = assignees.DeepClone(),
                ["pull_request"] = new JsonObject { ["html_url"] = pull["html_url"]!.DeepClone() },
            };
        }

        await JsonAsync(context, 201, issue);
    }

    private async Task RequestReviewersAsync(HttpContext context, FakeGitHubRepository repository, string number, JsonObject json)
    {
        Unexpected("request reviewers", json, "reviewers", "team_reviewers");
        if (Pull(repository, number) is not { } pull)
        {
            await NotFoundAsync(context);
            return;
        }

        var users = json["reviewers"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
        var teams = json["team_reviewers"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
        var author = pull["user"]!["login"]!.GetValue<string>();
        if (users.Any(u => u.Equals(author, StringComparison.OrdinalIgnoreCase)))
        {
            await ReviewRefusedAsync(context, "Review cannot be requested from pull request author.");
            return;
        }

        var collaborators = _collaborators.TryGetValue(repository.FullName, out var people) ? people : [];
        var known = _teams.TryGetValue(repository.FullName, out var slugs) ? slugs : [];
        if (users.Any(u => !collaborators.Contains(u)) || teams.Any(t => !known.Contains(t)))
        {
            await ReviewRefusedAsync(context, $"Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the {repository.FullName} repository.");
            return;
        }

        JsonObject answer;
        lock (_pulls)
        {
            foreach (var user in users)
            {
                pull["requested_reviewers"]!.AsArray().Add(new JsonObject { ["login"] = user });
            }

            foreach (var team in teams)
            {
                pull["requested_teams"]!.AsArray().Add(new JsonObject { ["slug"] = team });
            }

            answer = pull.DeepClone().AsObject();
        }

        await JsonAsync(context, 201, answer);
    }

    private JsonObject? Pull(FakeGitHubRepository repository, string number)
    {
        lock (_pulls)
        {
            return int.TryParse(number, out var n)
                ? _pulls.FirstOrDefault(p => p.Repository == repository.FullName && p.Number == n)?.Json
                : null;
        }
    }

    private void Unexpected(string what, JsonObject json, params string[] accepted)
    {
        foreach (var field in json.Select(p => p.Key).Where(k => !accepted.Contains(k)))
        {
            Problem($"{what} with a field GitHub does not take: {field}");
        }
    }

    private static JsonObject LabelJson(FakeGitHubRepository repository, string name, string? color = null, string? description = null) => new()
    {
        ["id"] = Math.Abs(name.GetHashCode(StringComparison.OrdinalIgnoreCase)),
        ["name"] = name,
        ["color"] = color ?? "ededed",
        ["description"] = description,
        ["default"] = DefaultLabels.Contains(name),
        ["url"] = $"https://api.github.example/repos/{repository.FullName}/labels/{Uri.EscapeDataString(name)}",
    };

    private static Task ValidationFailedAsync(HttpContext context, string resource, string field, string code) =>
        JsonAsync(context, 422, new JsonObject
        {
            ["message"] = "Validation Failed",
            ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = code, ["field"] = field }),
            ["documentation_url"] = "https://docs.github.com/rest",
        });

    private static Task ReviewRefusedAsync(HttpContext context, string message) =>
        JsonAsync(context, 422, new JsonObject
        {
            ["message"] = message,
            ["documentation_url"] = "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request",
        });
}
