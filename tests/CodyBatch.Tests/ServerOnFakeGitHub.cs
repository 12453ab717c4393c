namespace CodyBatch.Tests;

/// <summary>
/// The server as <c>codybatch serve</c> composes it, with the real GitHub host behind it pointed at an
/// in-process fake GitHub API; one of each per test. A test class derives from it and sets further
/// settings on <see cref="Factory"/> in its constructor.
/// </summary>
public abstract class ServerOnFakeGitHub : IAsyncLifetime
{
    /// <summary>The server in memory.</summary>
    protected ApiFactory Factory { get; } = new() { UseFakeRepositoryHost = false };

    /// <summary>The fake GitHub the server talks to.</summary>
    protected FakeGitHubApi GitHubApi { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        GitHubApi = await FakeGitHubApi.StartAsync();
        Factory.Settings["GITHUB_TOKEN"] = GitHubApi.Token;
        Factory.Settings["GITHUB_API_URL"] = GitHubApi.BaseUrl;
        Factory.Settings["CodyBatch:GitHub:WriteSpacing"] = "00:00:00.010";
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await GitHubApi.DisposeAsync();
    }

    /// <summary>Creates a job from <paramref name="request"/> and returns it as it ended.</summary>
    protected static async Task<JsonNode> RunJobAsync(HttpClient client, object request)
    {
        var created = await client.PostAsJsonAsync("/api/jobs", request);
        var body = await created.JsonAsync();
        Assert.True(created.IsSuccessStatusCode, body.ToJsonString());
        return await client.WaitForEndAsync(body["id"]!.GetValue<string>());
    }
}
