namespace CodyBatch.Testing.GitHub;

/// <summary>
/// An in-process GitHub REST API for the endpoints Cody Batch uses: repositories, commits, the
/// tarball (a 302 to a download host that needs no token), blobs, trees (with <c>base_tree</c>,
/// inline content, blob shas and deletions), commits, refs and pull requests, with GitHub's error
/// bodies (404, 409 empty repository, 422 reference or pull request already exists) and injectable
/// rate limits. It keeps the trees it is given, so tests can compare a pushed commit with the patch.
/// Pull requests are followed the documented way (see FakeGitHubApi.Pulls.cs): entity tags and 304s
/// that cost no rate limit, state changes a test drives, and signed webhook deliveries.
/// Every request is recorded; anything it did not expect is a problem.
/// </summary>
public sealed partial class FakeGitHubApi : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FakeGitHubRepository> _repositories = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakePull> _pulls = [];
    private readonly Recorded<FakeGitHubRequest> _requests = new();
    private readonly Recorded<string> _problems = new();
    private readonly ConcurrentQueue<(Func<FakeGitHubRequest, bool> Match, int Status, string Message, Dictionary<string, string> Headers)> _faults = new();
    private WebApplication _app = null!;

    private FakeGitHubApi(string token) => Token = token;

    public string Token { get; }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<FakeGitHubRequest> Requests => _requests.Snapshot();

    public IReadOnlyList<string> Problems => _problems.Snapshot();

    public IReadOnlyList<JsonObject> PullRequests
    {
        get
        {
            lock (_pulls)
            {
                return [.. _pulls.Select(p =>
                {
                    var pull = p.Json.DeepClone().AsObject();
                    pull["repository"] = p.Repository;
                    return pull;
                })];
            }
        }
    }

    public static async Task<FakeGitHubApi> StartAsync(string token = "ghp_testtoken0123456789abcdef")
    {
        var api = new FakeGitHubApi(token);
        (api._app, var address) = await LocalServer.StartAsync(app => app.Run(api.HandleAsync));
        api.BaseUrl = address + "/";
        return api;
    }

    /// <summary>The repository <paramref name="fullName"/> as added.</summary>
    public FakeGitHubRepository Repository(string fullName) => _repositories[fullName];

    public FakeGitHubRepository Add(string owner, string name)
    {
        var repository = new FakeGitHubRepository(owner, name);
        _repositories[repository.FullName] = repository;
        return repository;
    }

    /// <summary>
    /// Runs after a pull request was created and before the answer is sent: a test can hold the
    /// answer here (to kill the client while GitHub has the pull request but the client does not know).
    /// </summary>
    public Func<HttpContext, JsonObject, Task>? PullRequestCreated { get; set; }

    /// <summary>The fake's clock: request times, rate-limit windows and the times it records (pull requests created, merged, reviewed).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// The next request that <paramref name="match"/> accepts fails with this status, message and
    /// headers; status 0 drops the connection without an answer.
    /// </summary>
    public void Fail(Func<FakeGitHubRequest, bool> match, int status, string message, Dictionary<string, string>? headers = null) =>
        _faults.Enqueue((match, status, message, headers ?? []));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Problem(string what) => _problems.Add(what);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/api/v3/", StringComparison.Ordinal))
        {
            path = path[7..];
        }

        var body = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0
            ? await new StreamReader(context.Request.Body).ReadToEndAsync()
            : "";
        var request = new FakeGitHubRequest(
            context.Request.Method, path, context.Request.QueryString.Value ?? "", body,
            context.Request.Headers.Authorization.ToString(), Clock.GetUtcNow())
        {
            IfNoneMatch = context.Request.Headers.IfNoneMatch.Count > 0 ? context.Request.Headers.IfNoneMatch.ToString() : null,
        };
        _requests.Add(request);
        CountRateLimit(context, request);

        if (await JobLogAsync(context, request))
        {
            return;
        }

        if (path.StartsWith("/_codeload/", StringComparison.Ordinal))
        {
            await CodeloadAsync(context, request);
            return;
        }

        if (!await AuthenticateAsync(context, request))
        {
            return;
        }

        // GraphQL has a budget of points of its own (FakeGitHubApi.GraphQl.cs).
        if (!IsGraphQl(request) && !await PrimaryLimitAsync(context, request))
        {
            return;
        }

        if (_faults.TryPeek(out var fault) && fault.Match(request) && _faults.TryDequeue(out _))
        {
            if (fault.Status == 0)
            {
                context.Abort();
                return;
            }

            foreach (var (name, value) in fault.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await JsonAsync(context, fault.Status, new JsonObject { ["message"] = fault.Message, ["documentation_url"] = "https://docs.github.com/rest" });
            return;
        }

        var segments = path.Trim('/').Split('/');
        try
        {
            await RouteAsync(context, request, segments);
        }
        catch (JsonException e)
        {
            Problem($"{request.Method} {path}: body is not JSON ({e.Message})");
            await JsonAsync(context, 400, new JsonObject { ["message"] = "Problems parsing JSON" });
        }
    }

    private static bool IsGraphQl(FakeGitHubRequest request) => request.Path is "/graphql" or "/api/graphql";

    private async Task RouteAsync(HttpContext context, FakeGitHubRequest request, string[] s)
    {
        switch (request.Method, s)
        {
            case ("GET", ["user", "repos"]):
                await ListAsync(context);
                return;
            case ("GET", ["orgs", var org, "repos"]):
                await OrganizationRepositoriesAsync(context, org);
                return;
            case ("GET", ["installation", "repositories"]):
                await InstallationRepositoriesAsync(context, request);
                return;
            case ("POST", ["graphql"] or ["api", "graphql"]):
                await GraphQlAsync(context, request);
                return;
            case ("GET", ["user"]):
                await JsonAsync(context, 200, new JsonObject { ["login"] = AccountLogin, ["id"] = 1, ["type"] = "User" });
                return;
            case (_, ["repos", var owner, var name, ..]):
                if (!_repositories.TryGetValue($"{owner}/{name}", out var repository))
                {
                    await NotFoundAsync(context);
                    return;
                }

                await RepositoryRouteAsync(context, request, repository, s[3..]);
                return;
            default:
                Problem($"unexpected {request.Method} {request.Path}");
                await NotFoundAsync(context);
                return;
        }
    }

    private async Task RepositoryRouteAsync(HttpContext context, FakeGitHubRequest request, FakeGitHubRepository repository, string[] s)
    {
        var json = request.Body.TrimStart().StartsWith('{') ? JsonNode.Parse(request.Body)!.AsObject() : [];
        if (await ForkNotReadyAsync(context, repository) || await RoundRouteAsync(context, request, repository, s, json) || await PullRouteAsync(context, request, repository, s, json)
            || await VerificationRouteAsync(context, request, repository, s, json) || await MergeRouteAsync(context, request, repository, s, json))
        {
            return;
        }

        switch (request.Method, s)
        {
            case ("GET", []):
                await JsonAsync(context, 200, RepositoryJson(repository));
                return;
            case ("GET", ["commits", var reference]) when _commits.ContainsKey(reference) || Branch(repository.FullName, reference) is not null:
            {
                // GET /repos/{owner}/{repo}/commits/{ref}: a commit's SHA or a branch name.
                var sha = _commits.ContainsKey(reference) ? reference : Branch(repository.FullName, reference)!;
                await JsonAsync(context, 200, new JsonObject
                {
                    ["sha"] = sha,
                    ["commit"] = new JsonObject { ["message"] = _commits[sha].Message, ["tree"] = new JsonObject { ["sha"] = _commits[sha].Tree } },
                    ["parents"] = new JsonArray([.. _commits[sha].Parents.Select(p => (JsonNode)new JsonObject { ["sha"] = p })]),
                });
                return;
            }

            case ("GET", ["commits", ..]):
                if (repository.Empty)
                {
                    await JsonAsync(context, 409, new JsonObject { ["message"] = "Git Repository is empty.", ["documentation_url"] = "https://docs.github.com/rest" });
                    return;
                }

                var head = EnsureHead(repository);
                await JsonAsync(context, 200, new JsonObject
                {
                    ["sha"] = head,
                    ["commit"] = new JsonObject { ["message"] = _commits[head].Message, ["tree"] = new JsonObject { ["sha"] = _commits[head].Tree } },
                });
                return;
            case ("GET", ["tarball", var reference]):
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = $"{BaseUrl}_codeload/{repository.Owner}/{repository.Name}/legacy.tar.gz/{reference}";
                return;
            case ("POST", ["git", "blobs"]):
                var content = json["content"]!.GetValue<string>();
                var bytes = json["encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(content) : Encoding.UTF8.GetBytes(content);
                var blob = Sha("blob", Convert.ToBase64String(bytes));
                _blobs[blob] = bytes;
                await JsonAsync(context, 201, new JsonObject { ["sha"] = blob, ["url"] = $"{BaseUrl}repos/{repository.FullName}/git/blobs/{blob}" });
                return;
            case ("POST", ["git", "trees"]):
                await CreateTreeAsync(context, json);
                return;
            case ("POST", ["git", "commits"]):
                var tree = json["tree"]?.GetValue<string>() ?? "";
                if (!_trees.ContainsKey(tree))
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = "Tree SHA does not exist" });
                    return;
                }

                var commit = Sha("commit", tree);
                _commits[commit] = (tree, [.. json["parents"]!.AsArray().Select(p => p!.GetValue<string>())], json["message"]!.GetValue<string>());
                await JsonAsync(context, 201, new JsonObject { ["sha"] = commit, ["message"] = json["message"]!.DeepClone(), ["tree"] = new JsonObject { ["sha"] = tree } });
                return;
            case ("POST", ["git", "refs"]):
                var refName = json["ref"]!.GetValue<string>();
                if (!repository.CanPush)
                {
                    await JsonAsync(context, 403, new JsonObject { ["message"] = "Resource not accessible by integration" });
                    return;
                }

                if (!_refs.TryAdd($"{repository.FullName}:{refName}", json["sha"]!.GetValue<string>()))
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = "Reference already exists", ["documentation_url"] = "https://docs.github.com/rest/git/refs#create-a-reference" });
                    return;
                }

                await JsonAsync(context, 201, new JsonObject { ["ref"] = refName, ["object"] = new JsonObject { ["sha"] = json["sha"]!.DeepClone(), ["type"] = "commit" } });
                return;
            case ("POST", ["pulls"]):
                await CreatePullAsync(context, repository, json);
                return;
            default:
                if (await PublishingRouteAsync(context, request, repository, s, json))
                {
                    return;
                }

                Problem($"unexpected {request.Method} {request.Path}");
                await NotFoundAsync(context);
                return;
        }
    }

    private async Task CreatePullAsync(HttpContext context, FakeGitHubRepository repository, JsonObject json)
    {
        var (headRepository, head, label) = HeadOf(repository, json["head"]!.GetValue<string>());
        CheckPullFields(json);

        // "draft" is an optional boolean (docs: "Indicates whether the pull request is a draft"); drafts
        // need a plan that has them, and GitHub refuses them with a validation error otherwise.
        var draftNode = json["draft"];
        if (draftNode is not null && draftNode.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            Problem($"a pull request with draft {draftNode.ToJsonString()}, not a boolean");
            await JsonAsync(context, 422, new JsonObject
            {
                ["message"] = $"Invalid request.\n\nFor 'properties/draft', {draftNode.ToJsonString()} is not a boolean.",
                ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
            });
            return;
        }

        var draft = draftNode?.GetValue<bool>() ?? false;
        if (draft && !repository.DraftsSupported)
        {
            await JsonAsync(context, 422, new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = "Draft pull requests are not supported in this repository." }),
                ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
            });
            return;
        }

        lock (_pulls)
        {
            if (_pulls.Any(p => p.Repository == repository.FullName && p.Json["head"]!["label"]!.GetValue<string>() == label && p.Json["state"]!.GetValue<string>() == "open"))
            {
                context.Response.StatusCode = 422;
            }
        }

        if (context.Response.StatusCode == 422)
        {
            await JsonAsync(context, 422, new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = $"A pull request already exists for {label}." }),
                ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
            });
            return;
        }

        if (Branch(headRepository, head) is null)
        {
            await JsonAsync(context, 422, new JsonObject { ["message"] = "Validation Failed", ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["field"] = "head", ["code"] = "invalid" }) });
            return;
        }

        var pull = AddPull(repository, json, (headRepository, head, label), draft, LoginOf(context));
        if (PullRequestCreated is { } created)
        {
            await created(context, pull);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        await JsonAsync(context, 201, pull.DeepClone());
        await PullOpenedAsync(pull);
    }

    // GET /user/repos: every repository the account can see, by full name, paged the documented way (per_page up to 100).
    private async Task ListAsync(HttpContext context)
    {
        var all = _repositories.Values.OrderBy(r => r.FullName, StringComparer.Ordinal).ToList();
        var affiliation = context.Request.Query["affiliation"].ToString();
        var items = Paginate(context, affiliation.Length > 0 ? $"user/repos?affiliation={Uri.EscapeDataString(affiliation)}" : "user/repos", all);
        await JsonAsync(context, 200, new JsonArray([.. items.Select(r => (JsonNode)RepositoryJson(r))]));
    }

    internal JsonObject RepositoryJson(FakeGitHubRepository repository) => new()
    {
        ["id"] = Math.Abs(repository.FullName.GetHashCode(StringComparison.Ordinal)),
        ["name"] = repository.Name,
        ["full_name"] = repository.FullName,
        ["owner"] = new JsonObject { ["login"] = repository.Owner },
        ["private"] = repository.Private,
        ["archived"] = repository.Archived,
        ["fork"] = repository.Fork,
        ["language"] = repository.Language,
        ["topics"] = new JsonArray([.. repository.Topics.Select(t => (JsonNode)t)]),
        ["description"] = repository.Description,
        ["default_branch"] = repository.DefaultBranch,
        ["html_url"] = $"https://github.example/{repository.FullName}",
        ["url"] = $"{BaseUrl}repos/{repository.FullName}",
        ["allow_auto_merge"] = repository.AllowAutoMerge,
        ["allow_merge_commit"] = repository.MergeMethods.Contains("merge"),
        ["allow_squash_merge"] = repository.MergeMethods.Contains("squash"),
        ["allow_rebase_merge"] = repository.MergeMethods.Contains("rebase"),
        ["permissions"] = new JsonObject { ["admin"] = false, ["maintain"] = false, ["push"] = repository.CanPush, ["triage"] = repository.CanPush, ["pull"] = true },
    };

    internal static Task NotFoundAsync(HttpContext context) =>
        JsonAsync(context, 404, new JsonObject { ["message"] = "Not Found", ["documentation_url"] = "https://docs.github.com/rest" });

    internal static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
