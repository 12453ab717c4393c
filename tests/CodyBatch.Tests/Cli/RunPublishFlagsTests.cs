namespace CodyBatch.Tests.Cli;

/// <summary>The <c>run</c> options that shape pull requests, through real parsing into the job.</summary>
public sealed class RunPublishFlagsTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-cli-publish");

    public void Dispose() => _root.Dispose();

    private Task<(int ExitCode, string Output, string Error)> RunAsync(ICodeAgent agent, params string[] args) =>
        CliRun.InvokeAsync(_root.Combine("data"), ["run", .. args], agent);

    [Fact]
    public async Task Publish_flags_reach_the_job_and_the_branch_prefix_names_the_local_branch()
    {
        var app = await TestRepository.InitAsync(_root.Combine("app"));
        app.Write("README.md", "# app\n");
        await app.CommitAsync("initial");

        var (exit, output, error) = await RunAsync(
            ScriptedCodeAgent.AppendingTo("README.md"),
            "Append a line", app.Path, "--json", "--out", _root.Combine("out"),
            "--draft", "--label", "deps", "--label", "security", "--reviewer", "octocat", "--team-reviewer", "platform", "--assignee", "hubot", "--branch-prefix", "bots/cb-");

        Assert.True(exit == RunCommand.Succeeded, output + error);
        var job = JsonNode.Parse(output)!;
        var publish = job["publish"]!;
        Assert.True(publish["draft"]!.GetValue<bool>());
        Assert.Equal(["deps", "security"], publish["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["octocat"], publish["reviewers"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["platform"], publish["teamReviewers"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["hubot"], publish["assignees"]!.AsArray().Select(l => l!.GetValue<string>()));
        var branch = $"bots/cb-{job["id"]!.GetValue<string>()}";
        Assert.Equal(branch, job["repositories"]![0]!["pullRequestBranch"]!.GetValue<string>());
        Assert.Equal(branch, (await app.GitAsync("for-each-ref", "--format=%(refname:short)", "refs/heads/bots/")).Trim());
    }

    [Fact]
    public async Task A_bad_publish_flag_exits_2_naming_the_field()
    {
        var app = await TestRepository.InitAsync(_root.Combine("app"));
        app.Write("README.md", "# app\n");
        await app.CommitAsync("initial");

        var (exit, output, error) = await RunAsync(ScriptedCodeAgent.AppendingTo("README.md"), "Append a line", app.Path, "--reviewer", "not a login");

        Assert.Equal(RunCommand.BadInput, exit);
        Assert.Contains("codybatch: publish.reviewers[0]: \"not a login\" is not a GitHub login", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Job ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Round_flags_reach_the_job_and_a_bad_bound_exits_2_naming_the_field()
    {
        var app = await TestRepository.InitAsync(_root.Combine("app"));
        app.Write("README.md", "# app\n");
        await app.CommitAsync("initial");

        var (exit, output, error) = await RunAsync(
            ScriptedCodeAgent.AppendingTo("README.md"), "Append a line", app.Path, "--json", "--out", _root.Combine("out"),
            "--rounds-off", "failingChecks", "--rounds-off", "mentions", "--max-rounds", "1", "--round-max-cost", "0.5");
        var (badExit, _, badError) = await RunAsync(ScriptedCodeAgent.AppendingTo("README.md"), "Append a line", app.Path, "--max-rounds", "11");

        Assert.True(exit == RunCommand.Succeeded, output + error);
        var rounds = JsonNode.Parse(output)!["publish"]!["rounds"]!;
        Assert.Equal(
            (true, false, false, true, 1, 0.5m),
            (rounds["reviews"]!.GetValue<bool>(), rounds["mentions"]!.GetValue<bool>(), rounds["failingChecks"]!.GetValue<bool>(), rounds["conflicts"]!.GetValue<bool>(),
             rounds["maxRounds"]!.GetValue<int>(), rounds["maxCostUsd"]!.GetValue<decimal>()));
        Assert.Equal(RunCommand.BadInput, badExit);
        Assert.Contains("codybatch: publish.rounds.maxRounds: 11 rounds per pull request: use 0 (none) to 10.", badError, StringComparison.Ordinal);
    }
}
