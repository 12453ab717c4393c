using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests.Cli;

/// <summary>The whole product on one machine: the CLI, the engine, a local repository and the real Claude agent against the fake Messages API.</summary>
public sealed class RunWithClaudeTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-e2e");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Claude_edits_a_local_repository_and_the_patch_branch_thread_and_usage_come_out()
    {
        var repository = await TestRepository.InitAsync(_root.Combine("app"));
        repository.Write("README.md", "# App\n").Write("src/greeting.txt", "hello\n");
        await repository.CommitAsync();
        await using var api = await FakeMessagesApi.StartAsync();
        api.Enqueue(
            Message(ToolUse("search_code", new JsonObject { ["pattern"] = "hello" })),
            Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "str_replace", ["path"] = "/repo/src/greeting.txt", ["old_str"] = "hello", ["new_str"] = "hello, world" })),
            Message(ToolUse("submit_result", new JsonObject
            {
                ["wereChangesNecessary"] = true,
                ["summary"] = "Greets the world.",
                ["pullRequestTitle"] = "Greet the world",
                ["pullRequestBody"] = "Friendlier.",
            })));
        var claude = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = api.ApiKey,
            ["ANTHROPIC_BASE_URL"] = api.BaseUrl,
        }).Build();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CodyBatchCli.InvokeAsync(
            ["run", "Make the greeting friendlier", repository.Path, "--out", _root.Combine("out"), "--data", _root.Combine("data")],
            new InvocationConfiguration { Output = output, Error = error },
            services => services.AddSingleton(new ClaudeClientFactory(claude)));

        Assert.True(exit == 0, output.ToString() + error);
        Assert.Empty(api.Problems);
        Assert.Equal(3, api.Requests.Count);
        Assert.Contains("+hello, world", await File.ReadAllTextAsync(_root.Combine("out", "local-app.patch")), StringComparison.Ordinal);
        var thread = JsonNode.Parse(await File.ReadAllTextAsync(_root.Combine("out", "local-app.thread.json")))!;
        Assert.Contains(thread["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "result");
        Assert.DoesNotContain(api.ApiKey, thread.ToJsonString(), StringComparison.Ordinal);
        Assert.Matches(@"local/app\s+succeeded\s+yes\s+skipped\s+[\d,]+\s+\$0\.\d{4}", output.ToString());
        Assert.Contains("Greets the world.", output.ToString(), StringComparison.Ordinal);
        var branch = (await repository.GitAsync("for-each-ref", "--format=%(refname:short)", "refs/heads/codybatch/")).Trim();
        Assert.Equal("hello, world\n", await repository.GitAsync("show", $"{branch}:src/greeting.txt"));
        Assert.Equal("Greet the world", (await repository.GitAsync("log", "-1", "--format=%s", branch)).Trim());
    }
}
