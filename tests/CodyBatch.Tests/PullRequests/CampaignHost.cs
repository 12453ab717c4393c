namespace CodyBatch.Tests.PullRequests;

/// <summary>
/// The server with the real GitHub host against the fake GitHub, webhooks from the fake signed with
/// the configured secret, no background refresh (tests refresh on demand), and an agent that adds
/// <see cref="Line"/> to README.md unless it is there already (then no change is necessary).
/// </summary>
public sealed class CampaignHost : IAsyncLifetime
{
    public const string Secret = "webhook-secret-for-tests";

    public ApiFactory Factory { get; } = new() { UseFakeRepositoryHost = false };

    public FakeGitHubApi GitHub { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    private ScriptedCodeAgent _agent = null!;

    public string Line { get; set; } = "Security fix applied.";

    /// <summary>Further server settings, applied when the host starts.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>How often the agent ran.</summary>
    public int AgentCalls => _agent.Calls;

    public string Title { get; set; } = "Apply the security fix";

    /// <summary>The line a follow-up round adds to README.md.</summary>
    public string RoundLine { get; set; } = "Round fix.";

    /// <summary>What the agent was told in each follow-up round, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<AgentRequest> Rounds { get; } = new();

    public string Body { get; set; } = "First attempt.";

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHubApi.StartAsync();
        GitHub.Add("octo", "app").With("README.md", "# App\n");
        Factory.Settings["GITHUB_TOKEN"] = GitHub.Token;
        Factory.Settings["GITHUB_API_URL"] = GitHub.BaseUrl;
        Factory.Settings["CodyBatch:GitHub:WriteSpacing"] = "00:00:00";
        Factory.Settings["CodyBatch:GitHub:WebhookSecret"] = Secret;
        Factory.Settings["CodyBatch:PullRequests:RefreshInterval"] = "00:00:00";
        Factory.Settings["CodyBatch:Shepherd:Handle"] = "codybatch-bot";
        foreach (var (key, value) in Settings)
        {
            Factory.Settings[key] = value;
        }

        Factory.Agent = _agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            var path = Path.Combine(request.WorkspacePath, "README.md");
            if (request.FollowUp is not null)
            {
                Rounds.Enqueue(request);
                if (!(await File.ReadAllTextAsync(path, ct)).Contains(Line, StringComparison.Ordinal))
                {
                    // A conflict round starts from the base branch: the change is made again.
                    await File.AppendAllTextAsync(path, Line + "\n", ct);
                }

                await File.AppendAllTextAsync(path, $"{RoundLine} {Rounds.Count}\n", ct);
                return AgentOutcome.Succeeded(new AgentResult(true, $"Kept the old line (round {Rounds.Count})."), TokenUsage.Zero);
            }

            if ((await File.ReadAllTextAsync(path, ct)).Contains(Line, StringComparison.Ordinal))
            {
                return AgentOutcome.Succeeded(new AgentResult(false, "The fix is there already."), TokenUsage.Zero);
            }

            await File.AppendAllTextAsync(path, Line + "\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Applied the fix.", Title, Body), TokenUsage.Zero);
        });
        Client = Factory.CreateClient();
        GitHub.UseWebhook(Factory.CreateClient(), "/api/webhooks/github", Secret);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await GitHub.DisposeAsync();
    }

    /// <summary>Creates a job on octo/app and waits for its end.</summary>
    public async Task<JsonNode> RunJobAsync()
    {
        var id = (await (await Client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        return await Client.WaitForEndAsync(id);
    }

    /// <summary>Re-runs a job and waits for the new one's end.</summary>
    public async Task<JsonNode> RerunAsync(string id)
    {
        var response = await Client.PostAsync($"/api/jobs/{id}/rerun", null);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        return await Client.WaitForEndAsync(created["id"]!.GetValue<string>());
    }

    public async Task<JsonNode> RefreshAsync(string id)
    {
        var response = await Client.PostAsync($"/api/jobs/{id}/refresh", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var result = await response.JsonAsync();
        Assert.Empty(result["problems"]!.AsArray());
        return result["job"]!;
    }

    public async Task<JsonNode> GetJobAsync(string id) => await (await Client.GetAsync($"/api/jobs/{id}")).JsonAsync();

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        body is null ? Client.PostAsync(path, null) : Client.PostAsJsonAsync(path, body);

    public static JsonNode PullRequestOf(JsonNode job) => job["repositories"]![0]!["pullRequest"]!;
}
