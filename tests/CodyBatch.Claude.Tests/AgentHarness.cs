using CodyBatch.Claude.Messages;
using CodyBatch.Core.Agent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodyBatch.Claude.Tests;

/// <summary>The Claude agent against the fake Messages API, on a real baselined workspace.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private readonly TempDirectory _root = new("codybatch-claude");
    private readonly ClaudeClientFactory _clients;

    private AgentHarness(FakeMessagesApi api, Workspace workspace, ClaudeOptions options, InstantTimeProvider time)
    {
        Api = api;
        Workspace = workspace;
        Options = options;
        Time = time;
        _clients = new ClaudeClientFactory(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = api.ApiKey,
            ["ANTHROPIC_BASE_URL"] = api.BaseUrl,
        }).Build());
    }

    public FakeMessagesApi Api { get; }

    public Workspace Workspace { get; }

    public ClaudeOptions Options { get; }

    public InstantTimeProvider Time { get; }

    /// <summary>The run's clock when a test moves it itself; by default <see cref="Time"/>, whose delays end at once.</summary>
    public TimeProvider? Clock { get; set; }

    public AgentThread Thread { get; } = new("octo/app", "claude-sonnet-4-5", TimeProvider.System);

    public List<TokenUsage> Reported { get; } = [];

    public string Path(string relative) => System.IO.Path.Combine(Workspace.RepositoryPath, relative);

    public static async Task<AgentHarness> StartAsync(IReadOnlyDictionary<string, string>? files = null, ClaudeOptions? options = null)
    {
        var api = await FakeMessagesApi.StartAsync();
        var root = new TempDirectory("codybatch-claude-ws");
        var workspace = TestWorkspace.Create(root.Path);
        foreach (var (path, content) in files ?? new Dictionary<string, string> { ["README.md"] = "# App\n", ["src/app.txt"] = "hello\n" })
        {
            TestRepository.At(workspace.RepositoryPath).Write(path, content);
        }

        await workspace.BaselineAsync(CancellationToken.None);
        return new AgentHarness(api, workspace, options ?? new ClaudeOptions { RetryBackoff = TimeSpan.FromSeconds(1) }, new InstantTimeProvider());
    }

    /// <summary>One per process in the host; tests that run several runs of one job share it.</summary>
    public JobPrefixGate Prefixes { get; set; } = new(TimeProvider.System);

    public Task<AgentOutcome> RunAsync(
        string prompt = "Make the greeting friendlier",
        CancellationToken cancellationToken = default,
        int? thinkingBudget = null,
        Core.Checks.AgentChecks? checks = null,
        string? followUp = null,
        decimal? maxCostUsd = null,
        Core.Jobs.JobBudget? jobBudget = null)
    {
        var agent = new ClaudeCodeAgent(
            _clients,
            Prefixes,
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new WorkspaceOptions()),
            Clock ?? Time,
            NullLogger<ClaudeCodeAgent>.Instance);
        return agent.RunAsync(
            new AgentRequest(prompt, "claude-sonnet-4-5", "octo/app", Workspace.RepositoryPath, Thread, new Progress(Reported), Workspace, thinkingBudget) { Checks = checks, FollowUp = followUp, MaxCostUsd = maxCostUsd, JobBudget = jobBudget },
            cancellationToken);
    }

    /// <summary>The thread as the run would store it.</summary>
    public JsonObject ThreadJson() => JsonNode.Parse(Thread.ToJson(SecretRedactor.None))!.AsObject();

    /// <summary>The tool results the <paramref name="index"/>-th request carried back to Claude.</summary>
    public IReadOnlyList<JsonObject> ToolResultsOf(int index) =>
        [.. Api.Requests[index].Body["messages"]!.AsArray()[^1]!["content"]!.AsArray().OfType<JsonObject>().Where(b => b["type"]!.GetValue<string>() == "tool_result")];

    public async ValueTask DisposeAsync()
    {
        await Workspace.DisposeAsync();
        await Api.DisposeAsync();
        _clients.Dispose();
        _root.Dispose();
    }

    private sealed class Progress(List<TokenUsage> reported) : IProgress<TokenUsage>
    {
        public void Report(TokenUsage value)
        {
            lock (reported)
            {
                reported.Add(value);
            }
        }
    }
}
