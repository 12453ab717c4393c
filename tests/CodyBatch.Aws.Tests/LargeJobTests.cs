namespace CodyBatch.Aws.Tests;

/// <summary>Job items stay under DynamoDB's 400 KB whatever the texts, and a write refused for size ends the run once.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class LargeJobTests(Emulators emulators) : IDisposable
{
    private readonly TempDirectory _data = new("codybatch-aws-large");

    public void Dispose() => _data.Dispose();

    // Three-byte and four-byte UTF-8 characters (each would take six or twelve bytes as JSON escapes).
    private static string NonAscii(int length, string seed)
    {
        var text = new StringBuilder(length + 8);
        while (text.Length < length)
        {
            text.Append(seed).Append("日本語のテキスト — ünïcødé 😀 ");
        }

        var cut = text.ToString(0, length);
        return char.IsHighSurrogate(cut[^1]) ? cut[..^1] + "x" : cut;
    }

    [Fact]
    public async Task A_20000_character_non_ascii_prompt_and_five_runs_with_long_summaries_are_stored_and_read_back()
    {
        var table = $"codybatch-{Guid.NewGuid():N}";
        var bucket = await TestWorkers.BucketAsync(emulators);
        var store = new DynamoDbJobStore(emulators.DynamoDb, table, createTableIfMissing: true, new S3ArtifactStore(emulators.S3, bucket));
        await store.InitializeAsync(CancellationToken.None);
        var prompt = NonAscii(JobRequestValidator.MaxPromptLength, "Prompt ");
        string[] repositories = ["acme/a", "acme/b", "acme/c", "acme/d", "acme/e"];
        var job = JobLifecycle.Create(prompt, "Ünïcødé title", JobMode.PullRequest, "claude-sonnet-4-5", repositories, DateTimeOffset.UtcNow);
        await store.CreateAsync(job, CancellationToken.None);

        var summaries = repositories.ToDictionary(r => r, r => NonAscii(40_000, $"Summary of {r}: "));
        foreach (var repository in repositories)
        {
            var current = (await store.GetAsync(job.Id, CancellationToken.None))!;
            var claimed = JobLifecycle.TryClaim(current, repository, "w1", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1))!;
            var finished = JobLifecycle.Finish(claimed, repository, "w1", new RunOutcome
            {
                Status = RunStatus.Failed,
                Summary = summaries[repository],
                Error = NonAscii(10_000, "Error "),
            }, DateTimeOffset.UtcNow);
            Assert.NotNull(await store.TryUpdateAsync(finished, CancellationToken.None));
        }

        var read = await store.GetAsync(job.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(prompt, read!.Prompt);
        Assert.All(read.Runs, run =>
        {
            Assert.Equal(summaries[run.Repository], run.Summary);
            Assert.Equal(JobItems.MaxSentenceChars, run.Error!.Length);
            Assert.EndsWith("…", run.Error, StringComparison.Ordinal);
        });
        var raw = (await emulators.DynamoDb.GetItemAsync(new GetItemRequest { TableName = table, Key = JobItems.Key(job.Id), ConsistentRead = true })).Item;
        Assert.InRange(JobItems.SizeOf(raw), 1, 100 * 1024);
        Assert.Contains("日本語", raw["data"].S, StringComparison.Ordinal);
        Assert.Equal(6, raw["texts"].M.Count);
        var listed = (await store.ListAsync(new JobQuery(Text: "ünïcødé title"), CancellationToken.None)).Items.Single();
        Assert.Equal(job.Id, listed.Id);
        Assert.StartsWith(prompt[..JobItems.PreviewChars], listed.Prompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JobItems.DefaultMaxItemBytes)]
    [InlineData(int.MaxValue)]
    public async Task A_result_too_large_to_store_fails_the_run_once_with_a_sentence(int guardBytes)
    {
        // No S3 for long texts, so the summary stays in the item; int.MaxValue leaves the refusal to DynamoDB itself.
        var table = $"codybatch-{Guid.NewGuid():N}";
        var bucket = await TestWorkers.BucketAsync(emulators);
        var store = new DynamoDbJobStore(emulators.DynamoDb, table, createTableIfMissing: true, texts: null, maxItemBytes: guardBytes);
        var agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "changed\n", ct);
            request.Thread.Add("response", new JsonObject { ["turn"] = 1 });
            return AgentOutcome.Succeeded(new AgentResult(true, NonAscii(300_000, "Huge ")), new TokenUsage(1000, 100, CostUsd: 0.01m));
        });
        using var worker = TestWorkers.Create(_data.Path, store, emulators, bucket, new FakeRepositoryHost().AddSimple("acme/a"), agent);
        await worker.StartAsync();
        var (job, _) = await worker.Services.GetRequiredService<JobService>().CreateAsync(
            new JobRequest { Prompt = "Write a very long summary", Repositories = ["acme/a"], Mode = "patch" }, CancellationToken.None);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ended = await worker.Services.GetRequiredService<SingleJobRunner>().RunAsync(job!.Id, limit.Token);

        var run = Assert.Single(ended.Runs);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("400 KB", run.Error, StringComparison.Ordinal);
        Assert.Contains("retry it", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(1, agent.Calls);
        Assert.Equal(0.01m, run.Usage.CostUsd);
        Assert.NotNull(run.PatchArtifact);
        await worker.StopAsync();
    }
}
