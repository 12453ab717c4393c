namespace CodyBatch.Tests;

/// <summary>The server with the real GitHub host behind it, pointed at the fake GitHub API.</summary>
public sealed class GitHubApiTests : ServerOnFakeGitHub
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Factory.Settings["CodyBatch:PublicUrl"] = "https://codybatch.example.com";
    }

    [Fact]
    public async Task Repositories_are_listed_searched_paged_and_cached()
    {
        for (var i = 0; i < 35; i++)
        {
            var repository = GitHubApi.Add(i % 2 == 0 ? "octo" : "acme", $"service-{i:00}");
            repository.CanPush = i % 3 != 0;
            repository.Private = i % 5 == 0;
        }

        var client = Factory.CreateClient();
        var first = await (await client.GetAsync("/api/repositories")).JsonAsync();
        var second = await (await client.GetAsync("/api/repositories?page=2")).JsonAsync();
        var search = await (await client.GetAsync("/api/repositories?query=ACME/service-1")).JsonAsync();

        Assert.Equal(30, first["items"]!.AsArray().Count);
        Assert.True(first["hasMore"]!.GetValue<bool>());
        Assert.Equal(35, first["total"]!.GetValue<int>());
        Assert.Equal(5, second["items"]!.AsArray().Count);
        Assert.False(second["hasMore"]!.GetValue<bool>());
        Assert.Equal("acme/service-01", first["items"]![0]!["fullName"]!.GetValue<string>());
        var item = first["items"]!.AsArray().Single(r => r!["fullName"]!.GetValue<string>() == "octo/service-00")!;
        Assert.False(item["canPush"]!.GetValue<bool>());
        Assert.True(item["private"]!.GetValue<bool>());
        Assert.Equal("main", item["defaultBranch"]!.GetValue<string>());
        Assert.Equal(
            ["acme/service-11", "acme/service-13", "acme/service-15", "acme/service-17", "acme/service-19"],
            search["items"]!.AsArray().Select(r => r!["fullName"]!.GetValue<string>()));
        Assert.Single(GitHubApi.Requests, r => r.Path == "/user/repos");
        Assert.Empty(GitHubApi.Problems);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/repositories?page=0")).StatusCode);
    }

    [Fact]
    public async Task A_job_on_github_ends_with_a_pull_request_that_links_back_to_the_job()
    {
        GitHubApi.Add("octo", "app").With("README.md", "# App\n");
        var client = Factory.CreateClient();

        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal($"codybatch/{id}-app", run["pullRequestBranch"]!.GetValue<string>());
        Assert.Equal("https://github.example/octo/app/pull/1", run["pullRequestUrl"]!.GetValue<string>());
        Assert.Equal(40, run["commitSha"]!.GetValue<string>().Length);
        var pull = Assert.Single(GitHubApi.PullRequests);
        Assert.Contains("> Append a line", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"Job: https://codybatch.example.com/jobs/{id}", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("# App\nchanged by octo/app\n", System.Text.Encoding.UTF8.GetString(GitHubApi.FilesOf(GitHubApi.Branch("octo/app", $"codybatch/{id}-app")!)["README.md"].Content));
        Assert.Empty(GitHubApi.Problems);
        Assert.DoesNotContain(GitHubApi.Token, job.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_listing_says_what_to_set()
    {
        Factory.Settings["GITHUB_TOKEN"] = "";
        var client = Factory.CreateClient();

        var response = await client.GetAsync("/api/repositories");

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "GITHUB_TOKEN is not set, so GitHub repositories cannot be reached; set it to the service account's token.");
    }

    [Fact]
    public async Task Gateway_errors_while_publishing_are_tried_again_and_the_run_succeeds()
    {
        GitHubApi.Add("octo", "app").With("README.md", "# App\n");
        Factory.Settings["CodyBatch:GitHub:ServerErrorBackoff"] = "00:00:00.010";
        foreach (var path in new[] { "/git/trees", "/git/commits", "/git/refs", "/pulls" })
        {
            GitHubApi.Fail(r => r.Method == "POST" && r.Path == $"/repos/octo/app{path}", 502, "Server Error");
        }

        var client = Factory.CreateClient();
        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal(1, run["attempts"]!.GetValue<int>());
        Assert.Single(GitHubApi.PullRequests);
        Assert.Equal(2, GitHubApi.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/octo/app/pulls"));
        Assert.Empty(GitHubApi.Problems);
    }
}
