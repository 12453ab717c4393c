namespace CodyBatch.Tests;

/// <summary>The API's side of the agent's options: the model list, the thinking budget, and runs that end incomplete.</summary>
public sealed class AgentOptionsApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_model_list_comes_from_anthropics_models_api_with_prices()
    {
        await using var api = await FakeMessagesApi.StartAsync();
        _factory.Settings["ANTHROPIC_API_KEY"] = api.ApiKey;
        _factory.Settings["ANTHROPIC_BASE_URL"] = api.BaseUrl;
        var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var models = (await response.JsonAsync()).AsArray();
        Assert.Equal(["claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-sonnet-4-20250514"], models.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("Claude Sonnet 4.5", models[0]!["displayName"]!.GetValue<string>());
        Assert.Equal(3m, models[0]!["inputPerMillion"]!.GetValue<decimal>());
        Assert.Equal(15m, models[0]!["outputPerMillion"]!.GetValue<decimal>());
        Assert.Equal(75m, models[1]!["outputPerMillion"]!.GetValue<decimal>());
        Assert.Empty(api.Problems);
        Assert.DoesNotContain(api.ApiKey, models.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("anthropic", response.Headers.GetValues("X-Models-Source").Single());
        Assert.False(response.Headers.Contains("X-Models-Note"));
    }

    [Fact]
    public async Task Under_bedrock_an_unreadable_model_list_is_the_price_tables_said_in_a_header_not_a_503()
    {
        _factory.Settings["CodyBatch:Agent:Provider"] = "Bedrock";
        _factory.Settings["CodyBatch:Agent:Bedrock:Region"] = "eu-west-1";
        _factory.Settings["CodyBatch:Agent:Bedrock:Models:claude-sonnet-4-5"] = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
        _factory.Settings["CodyBatch:Agent:Bedrock:Models:claude-haiku-4-5"] = "eu.anthropic.claude-haiku-4-5-20251001-v1:0";
        _factory.Settings["CodyBatch:Agent:Bedrock:ControlPlaneUrl"] = $"http://127.0.0.1:{LocalServer.UnusedPort()}";
        var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var models = (await response.JsonAsync()).AsArray();
        Assert.Equal(["claude-haiku-4-5", "claude-sonnet-4-5"], models.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(1m, models[0]!["inputPerMillion"]!.GetValue<decimal>());
        Assert.Equal("price-table", response.Headers.GetValues("X-Models-Source").Single());
        var note = response.Headers.GetValues("X-Models-Note").Single();
        Assert.StartsWith("Bedrock's model list could not be read (", note, StringComparison.Ordinal);
        Assert.EndsWith("these are the models CodyBatch:Agent:Bedrock:Models maps, with prices from the price table.", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_api_key_the_model_list_is_a_503_problem_that_says_what_to_set()
    {
        _factory.Settings["ANTHROPIC_API_KEY"] = "";
        var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ANTHROPIC_API_KEY", (await response.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_keeps_its_thinking_budget_and_a_bad_one_is_a_validation_problem()
    {
        int? seen = null;
        _factory.Agent = new ScriptedCodeAgent((request, _) =>
        {
            seen = request.ThinkingBudgetTokens;
            return Task.FromResult(AgentOutcome.Succeeded(new AgentResult(false, "ok"), TokenUsage.Zero));
        });
        var client = _factory.CreateClient();

        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Think", repositories = new[] { "acme/api" }, thinkingBudgetTokens = 4_000 });
        var refused = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Think", repositories = new[] { "acme/api" }, thinkingBudgetTokens = 100 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var job = await created.JsonAsync();
        Assert.Equal(4_000, job["thinkingBudgetTokens"]!.GetValue<int>());
        await client.WaitForEndAsync(job["id"]!.GetValue<string>());
        Assert.Equal(4_000, seen);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("between 1,024 and 64,000", (await refused.JsonAsync())["errors"]!["thinkingBudgetTokens"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_runs_out_of_budget_shows_as_incomplete_with_its_patch_and_can_be_retried()
    {
        _factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "partial\n", ct);
            return AgentOutcome.Incomplete("The run used its 60 turns (CodyBatch:Agent:MaxTurns) without Claude submitting a result.", new TokenUsage(InputTokens: 10, CostUsd: 0.01m));
        });
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api")).JsonAsync())["id"]!.GetValue<string>();

        var job = await client.WaitForEndAsync(id);

        Assert.Equal("completed", job["status"]!.GetValue<string>());
        var run = job["repositories"]![0]!;
        Assert.Equal("incomplete", run["status"]!.GetValue<string>());
        Assert.StartsWith("Incomplete: The run used its 60 turns", run["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("+partial", await client.GetStringAsync($"/api/jobs/{id}/repositories/acme/api/patch"), StringComparison.Ordinal);
        Assert.True(Assert.Single(_factory.Repositories.Published).Draft);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/jobs/{id}/repositories/acme/api/retry", null)).StatusCode);
    }
}
