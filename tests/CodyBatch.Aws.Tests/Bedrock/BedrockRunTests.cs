using Anthropic.Bedrock;
using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Bedrock;
using CodyBatch.Claude.Messages;
using CodyBatch.Core.Configuration;
using CodyBatch.Testing.Anthropic;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Aws.Tests.Bedrock;

/// <summary>A whole run with Claude reached through Amazon Bedrock, on DynamoDB and S3, against a Bedrock runtime fake.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class BedrockRunTests(Emulators emulators) : IDisposable
{
    private const string BedrockModel = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private readonly TempDirectory _data = new("codybatch-bedrock");

    public void Dispose() => _data.Dispose();

    private static (ClaudeClientFactory Clients, ClaudeCodeAgent Agent) Agent(FakeBedrockRuntime bedrock, Dictionary<string, string> models, string region = "eu-west-1")
    {
        var factory = new BedrockClientFactory(
            Options.Create(new AgentProviderOptions { Provider = "Bedrock" }),
            Options.Create(new BedrockOptions { Region = "eu-west-1", BaseUrl = bedrock.Url, Models = models }),
            TimeProvider.System,
            () => ValueTask.FromResult<IAnthropicBedrockCredentials?>(new AnthropicBedrockPrivateKeyCredentials
            {
                ApiAccessKey = "AKIDEXAMPLE",
                ApiSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                Region = region,
            }));

        // No Anthropic key anywhere: the provider alone decides.
        var clients = new ClaudeClientFactory(new ConfigurationBuilder().Build(), factory);
        var agent = new ClaudeCodeAgent(
            clients,
            new JobPrefixGate(TimeProvider.System),
            Options.Create(new ClaudeOptions { RetryBackoff = TimeSpan.FromMilliseconds(50) }),
            Options.Create(new WorkspaceOptions()),
            TimeProvider.System,
            NullLogger<ClaudeCodeAgent>.Instance);
        return (clients, agent);
    }

    private async Task<(Job Job, IServiceProvider Services)> RunAsync(ClaudeCodeAgent agent, Func<IServiceProvider, Task>? after = null)
    {
        var bucket = await TestWorkers.BucketAsync(emulators);
        var store = new DynamoDbJobStore(emulators.DynamoDb, $"codybatch-{Guid.NewGuid():N}", createTableIfMissing: true);
        var worker = TestWorkers.Create(_data.Path, store, emulators, bucket, new FakeRepositoryHost().AddSimple("acme/a"), agent, lease: "00:00:30");
        await worker.StartAsync();
        var (job, _) = await worker.Services.GetRequiredService<JobService>().CreateAsync(
            new JobRequest { Prompt = "Add a NOTES file", Repositories = ["acme/a"], Mode = "patch", Model = "claude-sonnet-4-5" }, CancellationToken.None);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ended = await worker.Services.GetRequiredService<SingleJobRunner>().RunAsync(job!.Id, limit.Token);
        return (ended, worker.Services);
    }

    [Fact]
    public async Task A_whole_run_goes_through_bedrock_retries_throttling_and_records_usage_and_cost()
    {
        await using var bedrock = await FakeBedrockRuntime.StartAsync();
        bedrock.Enqueue(
            FakeBedrockRuntime.Throttling(),
            ((MessageReply)Message(Text("Creating the notes."), ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "create", ["path"] = "/repo/NOTES.md", ["file_text"] = "Notes\n" })))
                .WithUsage(new FakeUsage(2_000, 150)),
            ((MessageReply)Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Added NOTES.md." })))
                .WithUsage(new FakeUsage(2_300, 50)));
        var (clients, agent) = Agent(bedrock, new() { ["claude-sonnet-4-5"] = BedrockModel });
        using var _ = clients;

        var (job, services) = await RunAsync(agent);

        Assert.True(bedrock.Problems.Count == 0, string.Join("\n", bedrock.Problems) + "\n" + job.Runs[0].Error);
        var run = Assert.Single(job.Runs);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("Added NOTES.md.", run.Summary);
        Assert.Equal(3, bedrock.ModelIds.Count);
        Assert.All(bedrock.ModelIds, id => Assert.Equal(BedrockModel, id));
        Assert.Equal(4_300, run.Usage.InputTokens);
        Assert.Equal(200, run.Usage.OutputTokens);
        Assert.Equal(((4_300 * 3m) + (200 * 15m)) / 1_000_000m, run.Usage.CostUsd);
        await using var patch = await services.GetRequiredService<IArtifactStore>().OpenReadAsync(run.PatchArtifact!, CancellationToken.None);
        Assert.Contains("+Notes", await new StreamReader(patch!).ReadToEndAsync(), StringComparison.Ordinal);
        await using var thread = await services.GetRequiredService<IArtifactStore>().OpenReadAsync(run.ThreadArtifact!, CancellationToken.None);
        Assert.Contains("429", await new StreamReader(thread!).ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_inside_a_stream_that_had_begun_is_retried_too()
    {
        await using var bedrock = await FakeBedrockRuntime.StartAsync();
        bedrock.Enqueue(
            FakeBedrockRuntime.ThrottlingInStream(),
            ((MessageReply)Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Nothing to do." })))
                .WithUsage(new FakeUsage(1_000, 40)));
        var (clients, agent) = Agent(bedrock, new() { ["claude-sonnet-4-5"] = BedrockModel });
        using var _ = clients;

        var (job, _) = await RunAsync(agent);

        var run = Assert.Single(job.Runs);
        Assert.True(run.Status == RunStatus.Succeeded, run.Error);
        Assert.Equal(2, bedrock.ModelIds.Count);
    }

    [Fact]
    public async Task A_model_without_a_bedrock_id_fails_the_run_with_a_sentence_and_calls_nothing()
    {
        await using var bedrock = await FakeBedrockRuntime.StartAsync();
        var (clients, agent) = Agent(bedrock, new() { ["claude-haiku-4-5"] = "anthropic.claude-haiku-4-5-20251001-v1:0" });
        using var _ = clients;

        var (job, _) = await RunAsync(agent);

        var run = Assert.Single(job.Runs);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("CodyBatch:Agent:Bedrock:Models:claude-sonnet-4-5", run.Error, StringComparison.Ordinal);
        Assert.Empty(bedrock.Requests);
        Assert.Empty(bedrock.Problems);
    }

    [Fact]
    public void The_provider_settings_are_checked_at_start_with_a_sentence_naming_the_setting()
    {
        Assert.Contains("CodyBatch:Agent:Provider", AgentProviderOptions.Problem(new() { Provider = "OpenAI" }, new()), StringComparison.Ordinal);
        Assert.Contains("CodyBatch:Agent:Bedrock:Region", AgentProviderOptions.Problem(new() { Provider = "Bedrock" }, new()), StringComparison.Ordinal);
        Assert.Contains("CodyBatch:Agent:Bedrock:Models", AgentProviderOptions.Problem(new() { Provider = "Bedrock" }, new() { Region = "eu-west-1" }), StringComparison.Ordinal);
        Assert.Null(AgentProviderOptions.Problem(new() { Provider = "Bedrock" }, new() { Region = "eu-west-1", Models = new() { ["claude-sonnet-4-5"] = BedrockModel } }));
        Assert.Null(AgentProviderOptions.Problem(new() { Provider = "Anthropic" }, new()));
    }
}
