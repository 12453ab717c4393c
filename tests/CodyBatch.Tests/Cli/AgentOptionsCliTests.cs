using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests.Cli;

/// <summary><c>codybatch models</c>, <c>run --thinking-budget</c>, and a run that ends incomplete, against the fake Messages API.</summary>
public sealed class AgentOptionsCliTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-cli-agent");

    public void Dispose() => _root.Dispose();

    private static Action<IServiceCollection> Claude(FakeMessagesApi api) => services => services.AddSingleton(RealClaude.Clients(api));

    [Fact]
    public async Task Models_lists_what_the_account_can_use_with_prices()
    {
        await using var api = await FakeMessagesApi.StartAsync();
        api.Models.Add(new FakeModel("claude-future-9", "Claude Future 9", DateTimeOffset.UnixEpoch));
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CodyBatchCli.InvokeAsync(["models"], new InvocationConfiguration { Output = output, Error = error }, Claude(api));

        Assert.True(exit == 0, error.ToString());
        Assert.Empty(api.Problems);
        Assert.Matches(@"claude-sonnet-4-5-20250929\s+Claude Sonnet 4\.5\s+\$3\.00\s+\$15\.00\s+\$3\.75\s+\$0\.30", output.ToString());
        Assert.Matches(@"claude-opus-4-1-20250805\s+Claude Opus 4\.1\s+\$15\.00\s+\$75\.00", output.ToString());
        Assert.Matches(@"claude-future-9\s+Claude Future 9\s+\?\s+\?", output.ToString());
    }

    [Fact]
    public async Task A_run_with_a_thinking_budget_that_runs_out_of_turns_ends_incomplete_with_its_patch()
    {
        var repository = await TestRepository.InitAsync(_root.Combine("app"));
        repository.Write("README.md", "# App\n").Write("src/greeting.txt", "hello\n");
        await repository.CommitAsync();
        await using var api = await FakeMessagesApi.StartAsync();
        api.Enqueue(
            Message(Thinking("Overview first."), ToolUse("repository_overview", [])),
            Message(Thinking("Edit the greeting."), ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "str_replace", ["path"] = "/repo/src/greeting.txt", ["old_str"] = "hello", ["new_str"] = "hello, world" })),
            Message(Thinking("Look around more."), ToolUse("find_files", new JsonObject { ["pattern"] = "*.md" })));
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CodyBatchCli.InvokeAsync(
            ["run", "Make the greeting friendlier", repository.Path, "--mode", "patch", "--thinking-budget", "2048", "--out", _root.Combine("out"), "--data", _root.Combine("data")],
            new InvocationConfiguration { Output = output, Error = error },
            services =>
            {
                Claude(api)(services);
                services.Configure<CodyBatch.Claude.Agent.ClaudeOptions>(o => o.MaxTurns = 3);
            });

        Assert.Equal(RunCommand.SomeFailed, exit);
        Assert.Empty(api.Problems);
        Assert.All(api.Requests, r => Assert.Equal(2048, r.Body["thinking"]!["budget_tokens"]!.GetValue<int>()));
        Assert.Matches(@"local/app\s+incomplete\s+yes\s+skipped\s+[\d,]+\s+\$0\.\d{4}", output.ToString());
        Assert.Contains("Incomplete: The run used its 3 turns", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("+hello, world", await File.ReadAllTextAsync(_root.Combine("out", "local-app.patch")), StringComparison.Ordinal);
        var thread = await File.ReadAllTextAsync(_root.Combine("out", "local-app.thread.json"));
        Assert.Contains("\"type\":\"thinking\"", thread, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"wrap_up\"", thread, StringComparison.Ordinal);
    }
}
