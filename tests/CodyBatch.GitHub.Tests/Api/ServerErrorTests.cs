using System.Text;

namespace CodyBatch.GitHub.Tests.Api;

/// <summary>GitHub's 5xx answers and dropped connections: tried again where that is safe, and a pull request never opened twice.</summary>
public sealed class ServerErrorTests : GitHubFixture
{
    private static readonly byte[] Binary = [0, 1, 2, 255, 254, 0, 7];

    public static TheoryData<string, int> FailingCalls() => new()
    {
        { "GET /repos/octo/app", 502 },
        { "GET /repos/octo/app/commits/main", 503 },
        { "GET /repos/octo/app/tarball", 500 },
        { "POST /repos/octo/app/git/blobs", 502 },
        { "POST /repos/octo/app/git/trees", 502 },
        { "POST /repos/octo/app/git/commits", 500 },
        { "POST /repos/octo/app/git/refs", 503 },
        { "GET /repos/octo/app/pulls", 502 },
        { "POST /repos/octo/app/pulls", 502 },
        { "GET /repos/octo/app", 0 },
        { "POST /repos/octo/app/git/trees", 0 },
        { "POST /repos/octo/app/git/refs", 0 },
    };

    [Theory]
    [MemberData(nameof(FailingCalls))]
    public async Task A_failed_call_is_tried_again_and_the_change_is_published_once(string call, int status)
    {
        Api.Add("octo", "app").With("README.md", "# App\n").With("logo.bin", Binary);
        var (method, path) = (call.Split(' ')[0], call.Split(' ')[1]);
        Api.Fail(r => r.Method == method && r.Path.StartsWith(path, StringComparison.Ordinal), status, "Server Error");

        var published = await PublishChangeAsync();

        Assert.Empty(Api.Problems);
        Assert.Equal("https://github.example/octo/app/pull/1", published.PullRequestUrl);
        Assert.Single(Api.PullRequests);
        Assert.Equal("# App\nchanged\n", Encoding.UTF8.GetString(Api.FilesOf(Api.Branch("octo/app", published.Branch)!)["README.md"].Content));
        Assert.True(Api.Requests.Count(r => r.Method == method && r.Path.StartsWith(path, StringComparison.Ordinal)) >= 2, $"{call} was not tried again");
        Assert.Contains(TimeSpan.FromSeconds(1), Time.Delays);
    }

    [Fact]
    public async Task A_pull_request_whose_answer_was_lost_is_found_instead_of_opened_twice()
    {
        Api.Add("octo", "app").With("README.md", "# App\n");
        var lost = 0;
        Api.PullRequestCreated = (context, _) =>
        {
            // GitHub made the pull request, then the connection dropped before the answer.
            if (Interlocked.Increment(ref lost) == 1)
            {
                context.Abort();
            }

            return Task.CompletedTask;
        };

        var published = await PublishChangeAsync();

        Assert.Empty(Api.Problems);
        Assert.Equal("https://github.example/octo/app/pull/1", published.PullRequestUrl);
        Assert.Single(Api.PullRequests);
        Assert.Equal(1, Api.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/octo/app/pulls"));
    }

    [Fact]
    public async Task Server_errors_are_tried_a_bounded_number_of_times_with_a_doubling_backoff()
    {
        Options.MaxServerErrorRetries = 3;
        Api.Add("octo", "app").With("README.md", "# App\n");
        for (var i = 0; i < 4; i++)
        {
            Api.Fail(r => r.Method == "GET" && r.Path == "/repos/octo/app", 502, "Server Error");
        }

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/app", CancellationToken.None));

        Assert.Equal("GitHub kept failing to read octo/app (502 BadGateway), 4 times in a row; retry the run later.", failure.Message);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], Time.Delays.Where(d => d >= TimeSpan.FromSeconds(1)));
        Assert.Equal(4, Api.Requests.Count(r => r.Path == "/repos/octo/app"));
    }

    [Fact]
    public async Task A_client_error_is_not_tried_again()
    {
        Api.Add("octo", "app").With("README.md", "# App\n");
        Api.Fail(r => r.Method == "GET" && r.Path == "/repos/octo/app", 404, "Not Found");

        await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/app", CancellationToken.None));

        Assert.Single(Api.Requests, r => r.Path == "/repos/octo/app");
    }

    private async Task<PublishedChange> PublishChangeAsync()
    {
        var (resolved, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write("README.md", "# App\nchanged\n").Write("logo.bin", [.. Binary, 9]);
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);
        return await Host.PublishAsync(
            new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, patch, "Change", "Body", await workspace.ListChangesAsync(CancellationToken.None)),
            CancellationToken.None);
    }
}
