using System.Net;
using CodyBatch.Testing.GitHub;

namespace CodyBatch.Tests;

/// <summary>The server with the real GitHub host behind it, pointed at the fake GitHub API.</summary>
public sealed class GitHubApiTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new() { UseFakeRepositoryHost = false };
    private FakeGitHubApi _github = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubApi.StartAsync();
        _factory.Settings["GITHUB_TOKEN"] = _github.Token;
        _factory.Settings["GITHUB_API_URL"] = _github.BaseUrl;
        _factory.Settings["CodyBatch:GitHub:WriteSpacing"] = "00:00:00.010";
        _factory.Settings["CodyBatch:PublicUrl"] = "https://codybatch.example.com";
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task Repositories_are_listed_searched_paged_and_cached()
    {
        for (var i = 0; i < 35; i++)
        {
            var repository = _github.Add(i % 2 == 0 ? "octo" : "acme", $"service-{i:00}");
            repository.CanPush = i % 3 != 0;
            repository.Private = i % 5 == 0;
        }

        var client = _factory.CreateClient();
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
        Assert.Single(_github.Requests, r => r.Path == "/user/repos");
        Assert.Empty(_github.Problems);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/repositories?page=0")).StatusCode);
    }

    [Fact]
    public async Task A_job_on_github_ends_with_a_pull_request_that_links_back_to_the_job()
    {
        _github.Add("octo", "app").With("README.md", "# App\n");
        var client = _factory.CreateClient();

        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal($"codybatch/{id}-app", run["pullRequestBranch"]!.GetValue<string>());
        Assert.Equal("https://github.example/octo/app/pull/1", run["pullRequestUrl"]!.GetValue<string>());
        Assert.Equal(40, run["commitSha"]!.GetValue<string>().Length);
        var pull = Assert.Single(_github.PullRequests);
        Assert.Contains("> Append a line", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"Job: https://codybatch.example.com/jobs/{id}", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("# App\nchanged by octo/app\n", System.Text.Encoding.UTF8.GetString(_github.FilesOf(_github.Branch("octo/app", $"codybatch/{id}-app")!)["README.md"].Content));
        Assert.Empty(_github.Problems);
        Assert.DoesNotContain(_github.Token, job.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_listing_says_what_to_set()
    {
        _factory.Settings["GITHUB_TOKEN"] = "";
        var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/repositories");

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "GITHUB_TOKEN is not set, so GitHub repositories cannot be reached; set it to the service account's token.");
    }

    [Fact]
    public async Task Gateway_errors_while_publishing_are_tried_again_and_the_run_succeeds()
    {
        _github.Add("octo", "app").With("README.md", "# App\n");
        _factory.Settings["CodyBatch:GitHub:ServerErrorBackoff"] = "00:00:00.010";
        foreach (var path in new[] { "/git/trees", "/git/commits", "/git/refs", "/pulls" })
        {
            _github.Fail(r => r.Method == "POST" && r.Path == $"/repos/octo/app{path}", 502, "Server Error");
        }

        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal(1, run["attempts"]!.GetValue<int>());
        Assert.Single(_github.PullRequests);
        Assert.Equal(2, _github.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/octo/app/pulls"));
        Assert.Empty(_github.Problems);
    }
}
