using CodyBatch.GitHub.PullRequests;

namespace CodyBatch.GitHub.Tests.PullRequests;

/// <summary>The open pull requests and their files read from the fake GitHub the way GitHub documents the listings: paged, and at most 3,000 files.</summary>
public sealed class OpenPullRequestsTests : GitHubFixture
{
    [Fact]
    public async Task Every_open_pull_request_is_read_over_its_pages_with_its_files_and_closed_ones_are_left_out()
    {
        Api.Add("octo", "app").With("README.md", "# App\n");
        for (var i = 1; i <= 105; i++)
        {
            Api.OpenPullRequestAs("octo/app", $"user{i}", $"feature/{i}", new Dictionary<string, string?> { [$"src/f{i}.txt"] = "x\n" });
        }

        await Api.CloseAsync("octo/app", 7);
        Api.OpenPullRequestAs("octo/app", "mallory", "feature/remove", new Dictionary<string, string?> { ["README.md"] = null });

        var open = await new GitHubOpenPullRequests(Connection, Calls).ListAsync("octo/app", CancellationToken.None);

        Assert.Equal(105, open.Count);
        Assert.DoesNotContain(open, p => p.Number == 7);
        Assert.Equal(["src/f42.txt"], open.Single(p => p.Number == 42).Files);
        var removal = open.Single(p => p.Number == 106);
        Assert.Equal("mallory", removal.Author);
        Assert.Equal(["README.md"], removal.Files);
        Assert.Equal(2, Api.Requests.Count(r => r.Path == "/repos/octo/app/pulls"));
        Assert.All(open, p => Assert.False(p.FilesCut));
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task A_pull_request_with_more_files_than_GitHub_lists_is_read_to_the_3000_cap_and_marked_cut()
    {
        Api.Add("octo", "big").With("README.md", "# Big\n");
        Api.OpenPullRequestAs("octo/big", "mallory", "feature/huge", Enumerable.Range(1, 3_050).ToDictionary(i => $"gen/file{i:0000}.txt", i => (string?)$"{i}\n"));

        var pull = Assert.Single(await new GitHubOpenPullRequests(Connection, Calls).ListAsync("octo/big", CancellationToken.None));

        Assert.Equal(3_000, pull.Files.Count);
        Assert.True(pull.FilesCut);
        Assert.Equal(30, Api.Requests.Count(r => r.Path == "/repos/octo/big/pulls/1/files"));
    }
}
