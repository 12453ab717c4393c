using System.Net;
using System.Net.Http.Json;
using CodyBatch.Core.Checks;

namespace CodyBatch.GitHub.Tests.PullRequests;

/// <summary>The verification published on a pull request's head with a token: the commit status <c>codybatch/verification</c>.</summary>
public sealed class VerificationOnPullRequestTests : GitHubFixture
{
    private GitHubPullRequestHost _pulls = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _pulls = new GitHubPullRequestHost(Connection, Calls);
    }

    private static VerificationReport Broke() => VerificationReports.For(
        new Verification
        {
            Status = VerificationStatus.Broke,
            Source = "the job",
            Checks = [new CheckComparison("unit", "make test", new CheckRun(0, 1000, null, ""), new CheckRun(2, 1000, null, ""))],
        },
        "https://codybatch.example.com",
        "01jobjobjobjobjobjobjobjob")!;

    [Fact]
    public async Task A_token_publishes_the_commit_status_on_the_head_and_the_pull_requests_checks_count_it()
    {
        var pull = await OpenPullRequestAsync();

        var kind = await _pulls.PublishVerificationAsync("octo/app", pull.HeadSha!, Broke(), CancellationToken.None);

        Assert.Equal("commit status", kind);
        var status = Assert.Single(Api.StatusesOf("octo/app", pull.HeadSha!));
        Assert.Equal("codybatch/verification", status["context"]!.GetValue<string>());
        Assert.Equal("failure", status["state"]!.GetValue<string>());
        Assert.Equal("Broke: unit passed before the change and fails after it.", status["description"]!.GetValue<string>());
        Assert.Equal("https://codybatch.example.com/jobs/01jobjobjobjobjobjobjobjob", status["target_url"]!.GetValue<string>());
        var observed = PullRequestTracking.Observe(pull, await _pulls.ObserveAsync("octo/app", pull, CancellationToken.None), DateTimeOffset.UnixEpoch.AddMinutes(1));
        Assert.Equal(ChecksState.Failure, observed.Checks);
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task Without_push_access_github_answers_404_and_the_sentence_says_what_was_refused()
    {
        var pull = await OpenPullRequestAsync();
        Api.Repository("octo/app").CanPush = false;

        var refused = await Assert.ThrowsAsync<RunFailedException>(() => _pulls.PublishVerificationAsync("octo/app", pull.HeadSha!, Broke(), CancellationToken.None));

        Assert.StartsWith("GitHub refused to publish the verification on octo/app@", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("as a commit status (404: Not Found).", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fake_refuses_what_github_documents_as_invalid()
    {
        var pull = await OpenPullRequestAsync();
        using var http = new HttpClient { BaseAddress = new Uri(Api.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Api.Token);

        async Task<(HttpStatusCode, string)> PostAsync(string path, object body)
        {
            using var response = await http.PostAsJsonAsync(path, body);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var tooLong = await PostAsync($"repos/octo/app/statuses/{pull.HeadSha}", new { state = "success", description = new string('d', 141), context = "x" });
        var badState = await PostAsync($"repos/octo/app/statuses/{pull.HeadSha}", new { state = "green" });
        var noCommit = await PostAsync($"repos/octo/app/statuses/{new string('0', 40)}", new { state = "success" });
        var checkRunWithToken = await PostAsync("repos/octo/app/check-runs", new { name = "x", head_sha = pull.HeadSha });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.Item1);
        Assert.Contains("description is too long (maximum is 140 characters)", tooLong.Item2, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badState.Item1);
        Assert.Contains("state is not included in the list", badState.Item2, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noCommit.Item1);
        Assert.Contains("No commit found for SHA", noCommit.Item2, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, checkRunWithToken.Item1);
        Assert.Contains("You must authenticate via a GitHub App.", checkRunWithToken.Item2, StringComparison.Ordinal);
        Assert.Empty(Api.StatusesOf("octo/app", pull.HeadSha!));

        // At most 1000 statuses per commit and context.
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await PostAsync($"repos/octo/app/statuses/{pull.HeadSha}", new { state = "pending", context = "busy" })).Item1);
        }

        var overLimit = await PostAsync($"repos/octo/app/statuses/{pull.HeadSha}", new { state = "pending", context = "busy" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, overLimit.Item1);
        Assert.Contains("maximum number of statuses", overLimit.Item2, StringComparison.Ordinal);
    }
}
