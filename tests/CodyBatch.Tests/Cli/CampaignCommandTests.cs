namespace CodyBatch.Tests.Cli;

/// <summary><c>codybatch campaign</c> on a local data folder (repositories named explicitly: no host is listed).</summary>
public sealed class CampaignCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-cli");

    public void Dispose() => _root.Dispose();

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => CliRun.InvokeAsync(_root.Combine("data"), args);

    [Fact]
    public async Task A_campaign_is_created_with_its_preview_shown_approved_paused_resumed_and_cancelled()
    {
        var (created, createdOutput, _) = await RunAsync(
            "campaign", "create", "--prompt", "Bump the base image.", "--repository", "acme/api", "--repository", "acme/web", "--repository", "acme/docs",
            "--budget", "20", "--max-open-prs", "2", "--json");
        var id = JsonNode.Parse(createdOutput)!["id"]!.GetValue<string>();
        var (_, shown, _) = await RunAsync("campaign", "show", id);
        var (approved, approvedOutput, _) = await RunAsync("campaign", "approve", id, "--json");
        var (paused, pausedOutput, _) = await RunAsync("campaign", "pause", id);
        var (pausedAgain, _, pausedAgainError) = await RunAsync("campaign", "pause", id);
        var (resumed, _, _) = await RunAsync("campaign", "resume", id);
        var (cancelled, cancelledOutput, _) = await RunAsync("campaign", "cancel", id);
        var (_, list, _) = await RunAsync("campaign", "list");

        Assert.Equal((0, 0, 0, 0, 0), (created, approved, paused, resumed, cancelled));
        Assert.Equal(["acme/api", "acme/web", "acme/docs"], JsonNode.Parse(createdOutput)!["preview"]!["repositories"]!.AsArray().Select(r => r!.GetValue<string>()));
        // Three repositories, at most two open pull requests: the canary takes two, and the preview says why.
        Assert.Equal(2, JsonNode.Parse(createdOutput)!["preview"]!["canaryRepositories"]!.GetValue<int>());
        Assert.Contains("maxOpenPullRequests is 2", JsonNode.Parse(createdOutput)!["preview"]!["canaryNote"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("preview", shown, StringComparison.Ordinal);
        Assert.Contains("budget $20.00", shown, StringComparison.Ordinal);
        Assert.Contains("acme/web", shown, StringComparison.Ordinal);
        Assert.Equal("canary", JsonNode.Parse(approvedOutput)!["phase"]!.GetValue<string>());
        Assert.Contains("(paused)", pausedOutput, StringComparison.Ordinal);
        Assert.Equal(2, pausedAgain);
        Assert.Contains("paused already", pausedAgainError, StringComparison.Ordinal);
        Assert.Contains("cancelled", cancelledOutput, StringComparison.Ordinal);
        Assert.Contains($"{id}  cancelled  3 repositories", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_says_which_field_to_fix_and_exits_2()
    {
        var (exit, _, error) = await RunAsync("campaign", "create", "--prompt", "p", "--repository", "acme/api", "--triage", "maybe", "--concurrency", "0");

        Assert.Equal(2, exit);
        Assert.Contains("triage: Triage must be \"auto\", \"on\" or \"off\"", error, StringComparison.Ordinal);
        Assert.Contains("concurrency:", error, StringComparison.Ordinal);
    }
}
