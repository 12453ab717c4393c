namespace CodyBatch.GitHub.Tests.PullRequests;

/// <summary>Draft, labels, reviewers, assignees and the branch prefix, as the fake GitHub receives them.</summary>
public sealed class CarefulPublishTests : GitHubFixture
{
    private const string JobId = "01jobjobjobjobjobjobjobjob";

    private async Task<PublishedChange> PublishChangeAsync(string fullName, PublishSettings settings, string file = "a.txt", string content = "b\n")
    {
        var (resolved, workspace) = await CheckOutAsync(fullName);
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write(file, content);
        var request = new PublishRequest(JobId, resolved, workspace.RepositoryPath, await workspace.CreatePatchAsync(CancellationToken.None), "T", "B", await workspace.ListChangesAsync(CancellationToken.None))
        {
            Settings = settings,
        };
        return await Host.PublishAsync(request, CancellationToken.None);
    }

    private JsonObject Body(string method, string pathEnd) =>
        JsonNode.Parse(Assert.Single(Api.Requests, r => r.Method == method && r.Path.EndsWith(pathEnd, StringComparison.Ordinal)).Body)!.AsObject();

    [Fact]
    public async Task Draft_labels_reviewers_assignees_and_the_branch_prefix_reach_GitHub_exactly()
    {
        Api.Add("octo", "app").With("a.txt", "a\n");
        Api.AddLabels("octo/app", "team:platform");
        Api.AddCollaborators("octo/app", "alice", "bob");
        Api.AddTeams("octo/app", "security");

        var published = await PublishChangeAsync("octo/app", new PublishSettings
        {
            Draft = true,
            Labels = ["team:platform", "automated"],
            Reviewers = ["alice"],
            TeamReviewers = ["security"],
            Assignees = ["bob"],
            BranchPrefix = "bots/cb-",
        });

        Assert.Empty(Api.Problems);
        Assert.Null(published.Notice);
        Assert.Equal($"bots/cb-{JobId}-app", published.Branch);
        Assert.NotNull(Api.Branch("octo/app", published.Branch));
        Assert.True(Body("POST", "/pulls")["draft"]!.GetValue<bool>());
        Assert.Equal($"bots/cb-{JobId}-app", Body("POST", "/pulls")["head"]!.GetValue<string>());

        // The existing label is looked up, the missing one looked up and created, then both are added.
        Assert.Single(Api.Requests, r => r.Method == "GET" && r.Path == "/repos/octo/app/labels/team:platform");
        Assert.Single(Api.Requests, r => r.Method == "GET" && r.Path == "/repos/octo/app/labels/automated");
        var created = Body("POST", "/repos/octo/app/labels");
        Assert.Equal("automated", created["name"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{6}$", created["color"]!.GetValue<string>());
        var added = JsonNode.Parse(Assert.Single(Api.Requests, r => r.Method == "POST" && r.Path == "/repos/octo/app/issues/1/labels").Body);
        Assert.Equal(["team:platform", "automated"], (added as JsonArray ?? added!["labels"]!.AsArray()).Select(l => l!.GetValue<string>()));
        var reviews = Body("POST", "/pulls/1/requested_reviewers");
        Assert.Equal(["alice"], reviews["reviewers"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["security"], reviews["team_reviewers"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["bob"], Body("POST", "/issues/1/assignees")["assignees"]!.AsArray().Select(l => l!.GetValue<string>()));

        var pull = Api.PullRequest("octo/app", 1)!;
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.Equal(["team:platform", "automated"], pull["labels"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.Equal(["alice"], pull["requested_reviewers"]!.AsArray().Select(l => l!["login"]!.GetValue<string>()));
        Assert.Equal(["security"], pull["requested_teams"]!.AsArray().Select(l => l!["slug"]!.GetValue<string>()));
        Assert.Equal(["bob"], pull["assignees"]!.AsArray().Select(l => l!["login"]!.GetValue<string>()));
        Assert.Contains("automated", Api.LabelsOf("octo/app"));
    }

    [Fact]
    public async Task Without_settings_the_pull_request_is_ready_on_a_codybatch_branch_and_nothing_more_is_called()
    {
        Api.Add("octo", "app").With("a.txt", "a\n");

        var published = await PublishChangeAsync("octo/app", PublishSettings.Default);

        Assert.Equal($"codybatch/{JobId}-app", published.Branch);
        Assert.False(Body("POST", "/pulls").ContainsKey("draft"));
        Assert.False(Api.PullRequest("octo/app", 1)!["draft"]!.GetValue<bool>());
        Assert.DoesNotContain(Api.Requests, r => r.Path.Contains("/labels", StringComparison.Ordinal) || r.Path.Contains("/issues/", StringComparison.Ordinal) || r.Path.Contains("requested_reviewers", StringComparison.Ordinal));
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task What_GitHub_refuses_is_named_in_the_notice_and_never_fails_the_run()
    {
        Api.Add("octo", "app").With("a.txt", "a\n");
        Api.AddLabels("octo/app", "existing");
        Api.ForbidLabelCreation("octo/app");
        Api.AddCollaborators("octo/app", "alice");

        var published = await PublishChangeAsync("octo/app", new PublishSettings
        {
            Labels = ["existing", "brand-new"],
            Reviewers = ["alice", "mallory", "codybatch-bot"],
            Assignees = ["alice", "ghost"],
        });

        Assert.Equal("https://github.example/octo/app/pull/1", published.PullRequestUrl);
        var pull = Api.PullRequest("octo/app", 1)!;
        Assert.Equal(["existing"], pull["labels"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.Equal(["alice"], pull["requested_reviewers"]!.AsArray().Select(l => l!["login"]!.GetValue<string>()));
        Assert.Equal(["alice"], pull["assignees"]!.AsArray().Select(l => l!["login"]!.GetValue<string>()));
        Assert.DoesNotContain("brand-new", Api.LabelsOf("octo/app"));
        Assert.Contains("\"brand-new\" is not a label in octo/app and the service account may not create labels there", published.Notice, StringComparison.Ordinal);
        Assert.Contains("GitHub refused a review request for \"mallory\", \"codybatch-bot\"", published.Notice, StringComparison.Ordinal);
        Assert.Contains("GitHub did not assign \"ghost\"", published.Notice, StringComparison.Ordinal);
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task A_repository_without_drafts_gets_a_ready_pull_request_and_says_so()
    {
        Api.Add("octo", "app").With("a.txt", "a\n");
        Api.WithoutDrafts("octo/app");

        var published = await PublishChangeAsync("octo/app", new PublishSettings { Draft = true });

        Assert.False(Api.PullRequest("octo/app", 1)!["draft"]!.GetValue<bool>());
        Assert.Equal("octo/app does not support draft pull requests, so this one is open for review.", published.Notice);
        Assert.Equal(2, Api.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/octo/app/pulls"));
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task A_workflow_change_without_the_workflow_scope_is_stopped_before_anything_is_pushed()
    {
        Api.Add("octo", "app").With(".github/workflows/ci.yml", "on: push\n");
        Api.TokenScopes = "repo, read:org";

        var skipped = await Assert.ThrowsAsync<PublishSkippedException>(() => PublishChangeAsync("octo/app", PublishSettings.Default, ".github/workflows/ci.yml", "on: pull_request\n"));

        Assert.Equal(
            "No pull request: the change touches .github/workflows/ci.yml, and GitHub lets only a token with the workflow scope change workflow files (GITHUB_TOKEN has the scopes: repo, read:org), so nothing was pushed and the patch is here to apply by hand.",
            skipped.Message);
        Assert.DoesNotContain(Api.Requests, r => r.Method is "POST" or "PATCH");
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task A_workflow_change_with_the_workflow_scope_is_published()
    {
        Api.Add("octo", "app").With(".github/workflows/ci.yml", "on: push\n");
        Api.TokenScopes = "repo, workflow";

        var published = await PublishChangeAsync("octo/app", PublishSettings.Default, ".github/workflows/ci.yml", "on: pull_request\n");

        Assert.NotNull(published.PullRequestUrl);
        Assert.Empty(Api.Problems);
    }
}
