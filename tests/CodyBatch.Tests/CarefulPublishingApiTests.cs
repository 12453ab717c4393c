namespace CodyBatch.Tests;

/// <summary>Jobs through the API to the fake GitHub: publish settings, templates, risky changes, secrets, workflow files.</summary>
public sealed class CarefulPublishingApiTests : ServerOnFakeGitHub
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Factory.Settings["CodyBatch:PublicUrl"] = "https://codybatch.example.com";
    }

    /// <summary>An agent that writes <paramref name="files"/> and submits a result with a pull request body.</summary>
    private static ScriptedCodeAgent Writing(params (string Path, string Content)[] files) => new(async (request, ct) =>
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(request.WorkspacePath, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content, ct);
        }

        request.Thread.Add("request", new JsonObject { ["turn"] = 1, ["messages"] = new JsonArray() });
        return AgentOutcome.Succeeded(new AgentResult(true, "Changed what was asked.", "Do the thing", "Agent body."), TokenUsage.Zero);
    });

    private async Task<JsonNode> RunAsync(object body)
    {
        var client = Factory.CreateClient();
        var created = await client.PostAsJsonAsync("/api/jobs", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);
        Assert.True(job["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        return job;
    }

    [Fact]
    public async Task Draft_labels_reviewers_assignees_and_branch_prefix_from_the_job_reach_GitHub()
    {
        GitHubApi.Add("octo", "app").With("a.txt", "a\n");
        GitHubApi.AddLabels("octo/app", "existing");
        GitHubApi.AddCollaborators("octo/app", "alice", "bob");
        GitHubApi.AddTeams("octo/app", "security");
        Factory.Agent = Writing(("a.txt", "b\n"));

        var job = await RunAsync(new
        {
            prompt = "Change a",
            repositories = new[] { "octo/app" },
            publish = new { draft = true, labels = new[] { "existing", "new-one" }, reviewers = new[] { "alice" }, teamReviewers = new[] { "security" }, assignees = new[] { "bob" }, branchPrefix = "bots/" },
        });

        var id = job["id"]!.GetValue<string>();
        Assert.Equal($"bots/{id}-app", job["repositories"]![0]!["pullRequestBranch"]!.GetValue<string>());
        Assert.True(job["publish"]!["draft"]!.GetValue<bool>());
        Assert.Equal(["existing", "new-one"], job["publish"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        var pull = GitHubApi.PullRequest("octo/app", 1)!;
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.Equal($"bots/{id}-app", pull["head"]!["ref"]!.GetValue<string>());
        Assert.Equal(["existing", "new-one"], pull["labels"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.Equal(["alice"], pull["requested_reviewers"]!.AsArray().Select(l => l!["login"]!.GetValue<string>()));
        Assert.Equal(["security"], pull["requested_teams"]!.AsArray().Select(l => l!["slug"]!.GetValue<string>()));
        Assert.Equal(["bob"], pull["assignees"]!.AsArray().Select(l => l!["login"]!.GetValue<string>()));
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task The_servers_defaults_apply_to_a_job_that_says_nothing()
    {
        Factory.Settings["CodyBatch:Publish:Draft"] = "true";
        Factory.Settings["CodyBatch:Publish:Labels:0"] = "automated";
        GitHubApi.Add("octo", "app").With("a.txt", "a\n");
        Factory.Agent = Writing(("a.txt", "b\n"));

        var job = await RunAsync(new { prompt = "Change a", repositories = new[] { "octo/app" } });

        Assert.True(job["publish"]!["draft"]!.GetValue<bool>());
        Assert.Equal("codybatch/", job["publish"]!["branchPrefix"]!.GetValue<string>());
        var pull = GitHubApi.PullRequest("octo/app", 1)!;
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.Equal(["automated"], pull["labels"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task Bad_publish_settings_are_a_problem_naming_the_field()
    {
        var response = await Factory.CreateClient().PostAsJsonAsync("/api/jobs", new
        {
            prompt = "p",
            repositories = new[] { "octo/app" },
            publish = new { reviewers = new[] { "not a login" }, branchPrefix = "../x" },
        });

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
        var errors = (await response.JsonAsync())["errors"]!;
        Assert.Contains("is not a GitHub login", errors["publish.reviewers[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("cannot start a branch name", errors["publish.branchPrefix"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_with_a_template_gets_a_body_that_follows_it_then_the_prompt_and_the_job_link()
    {
        GitHubApi.Add("octo", "app").With("a.txt", "a\n")
            .With(".github/pull_request_template.md", "## Description\n\n<!-- What and why -->\n\n## Checklist\n\n- [ ] Tests pass\n");
        Factory.Agent = Writing(("a.txt", "b\n"));

        var job = await RunAsync(new { prompt = "Change a", repositories = new[] { "octo/app" } });

        var body = GitHubApi.PullRequest("octo/app", 1)!["body"]!.GetValue<string>();
        Assert.Equal(
            $"## Description\n\nAgent body.\n\n## Checklist\n\n- [ ] Tests pass\n\n---\n\nMade by Cody Batch for this prompt:\n\n> Change a\n\nJob: https://codybatch.example.com/jobs/{job["id"]!.GetValue<string>()}\n",
            body);
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task A_change_to_package_lock_is_a_draft_with_the_review_label_and_says_why()
    {
        GitHubApi.Add("octo", "app").With("package-lock.json", "{\"lockfileVersion\": 3}\n");
        Factory.Agent = Writing(("package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}\n"));

        await RunAsync(new { prompt = "Update the lock", repositories = new[] { "octo/app" } });

        var pull = GitHubApi.PullRequest("octo/app", 1)!;
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.Equal(["codybatch:review-carefully"], pull["labels"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.Contains("codybatch:review-carefully", GitHubApi.LabelsOf("octo/app"));
        var body = pull["body"]!.GetValue<string>();
        Assert.Contains("## Why this is flagged", body, StringComparison.Ordinal);
        Assert.Contains("- lock file: `package-lock.json`", body, StringComparison.Ordinal);
        Assert.True(body.IndexOf("## Why this is flagged", StringComparison.Ordinal) < body.IndexOf("Made by Cody Batch", StringComparison.Ordinal));
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task A_change_that_adds_an_AWS_key_is_never_pushed_and_keeps_its_patch()
    {
        GitHubApi.Add("octo", "app").With("config.py", "DEBUG = False\n");
        var key = "AKIA" + "QX3RT7ZP2M4KWN8Y";
        Factory.Agent = Writing(("config.py", $"DEBUG = False\nAWS_ACCESS_KEY_ID = \"{key}\"\n"));

        var job = await RunAsync(new { prompt = "Configure AWS", repositories = new[] { "octo/app" } });

        var run = job["repositories"]![0]!;
        Assert.Equal(
            "No pull request: the change adds what looks like a secret (AWS access key ID in config.py line 2), so nothing was pushed; the patch is here to review — remove the secret before applying it.",
            run["notice"]!.GetValue<string>());
        Assert.Null(run["pullRequestUrl"]?.GetValue<string>());
        Assert.DoesNotContain(GitHubApi.Requests, r => r.Method is "POST" or "PATCH");
        Assert.DoesNotContain(key, run.ToJsonString(), StringComparison.Ordinal);
        var patch = await Factory.CreateClient().GetStringAsync(run["patchUrl"]!.GetValue<string>());
        Assert.Contains(key, patch, StringComparison.Ordinal);
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task A_workflow_change_without_the_scope_says_so_in_one_sentence_and_keeps_the_patch()
    {
        GitHubApi.TokenScopes = "repo";
        GitHubApi.Add("octo", "app").With(".github/workflows/ci.yml", "on: push\n");
        Factory.Agent = Writing((".github/workflows/ci.yml", "on: [push, pull_request]\n"));

        var job = await RunAsync(new { prompt = "Run CI on pull requests", repositories = new[] { "octo/app" } });

        var run = job["repositories"]![0]!;
        Assert.Equal(
            "No pull request: the change touches .github/workflows/ci.yml, and GitHub lets only a token with the workflow scope change workflow files (GITHUB_TOKEN has the scopes: repo), so nothing was pushed and the patch is here to apply by hand.",
            run["notice"]!.GetValue<string>());
        Assert.NotNull(run["patchUrl"]?.GetValue<string>());
        Assert.DoesNotContain(GitHubApi.Requests, r => r.Method is "POST" or "PATCH");
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task Fork_mode_end_to_end_opens_the_pull_request_from_the_fork()
    {
        Factory.Settings["CodyBatch:GitHub:ForkWhenNoPush"] = "true";
        GitHubApi.ForkReadyAfter = 0;
        GitHubApi.Add("upstream", "lib").With("a.txt", "a\n").CanPush = false;
        Factory.Agent = Writing(("a.txt", "b\n"));

        var job = await RunAsync(new { prompt = "Change a", repositories = new[] { "upstream/lib" } });

        var run = job["repositories"]![0]!;
        var id = job["id"]!.GetValue<string>();
        Assert.Equal("https://github.example/upstream/lib/pull/1", run["pullRequestUrl"]!.GetValue<string>());
        Assert.Equal("The service account may not push to upstream/lib, so the pull request comes from its fork codybatch-bot/lib.", run["notice"]!.GetValue<string>());
        Assert.Equal($"codybatch-bot:codybatch/{id}-lib", Assert.Single(GitHubApi.PullRequests)["head"]!["label"]!.GetValue<string>());
        Assert.NotNull(GitHubApi.Branch("codybatch-bot/lib", $"codybatch/{id}-lib"));
        Assert.Empty(GitHubApi.Problems);
    }
}
