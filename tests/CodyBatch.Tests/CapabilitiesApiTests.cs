namespace CodyBatch.Tests;

public sealed class CapabilitiesApiTests : IDisposable
{
    private const string ClaudeKey = "sk-ant-test-key-0123456789";
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Capabilities_say_what_works_without_revealing_a_secret()
    {
        _factory.Settings["ANTHROPIC_API_KEY"] = ClaudeKey;
        _factory.Settings["GITHUB_TOKEN"] = null;
        _factory.Settings["CodyBatch:AllowLocalRepositories"] = "true";
        _factory.Settings["CodyBatch:AllowedRepositories:0"] = "acme/*";
        _factory.Settings["CodyBatch:Agent:MaxCostUsd"] = "2.5";

        var response = await _factory.CreateClient().GetAsync("/api/capabilities");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ClaudeKey, text, StringComparison.Ordinal);
        var body = await response.JsonAsync();
        Assert.True(body["claude"]!["available"]!.GetValue<bool>());
        Assert.False(body["gitHub"]!["available"]!.GetValue<bool>());
        Assert.Contains("GITHUB_TOKEN", body["gitHub"]!["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(body["localRepositoriesAllowed"]!.GetValue<bool>());
        Assert.Equal(["acme/*"], body["allowedRepositories"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(5, body["limits"]!["maxRepositories"]!.GetValue<int>());
        Assert.Equal(20_000, body["limits"]!["maxPromptLength"]!.GetValue<int>());
        Assert.Equal(2.5m, body["budgets"]!["maxCostUsd"]!.GetValue<decimal>());
        Assert.Equal(60, body["budgets"]!["maxTurns"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_missing_claude_key_is_reported_with_what_to_set()
    {
        _factory.Settings["ANTHROPIC_API_KEY"] = "";

        var body = await (await _factory.CreateClient().GetAsync("/api/capabilities")).JsonAsync();

        Assert.False(body["claude"]!["available"]!.GetValue<bool>());
        Assert.Equal(
            "ANTHROPIC_API_KEY is not set, so runs cannot reach Claude; set it in the environment of the process that runs jobs.",
            body["claude"]!["problem"]!.GetValue<string>());
        Assert.False(body["localRepositoriesAllowed"]!.GetValue<bool>());
    }
}
