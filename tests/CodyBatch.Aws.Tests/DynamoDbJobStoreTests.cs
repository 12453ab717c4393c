using CodyBatch.Core.PullRequests;

namespace CodyBatch.Aws.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbJobStoreTests(Emulators emulators) : JobStoreContract
{
    private readonly string _table = $"codybatch-{Guid.NewGuid():N}";

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        var store = new DynamoDbJobStore(emulators.DynamoDb, _table, createTableIfMissing: true);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    protected override Task<IJobStore> OpenSecondWriterAsync(IJobStore store) =>
        Task.FromResult<IJobStore>(new DynamoDbJobStore(emulators.DynamoDb, _table, createTableIfMissing: false));

    [Fact]
    public async Task A_missing_table_is_an_error_that_says_what_to_do_unless_creating_is_allowed()
    {
        var store = new DynamoDbJobStore(emulators.DynamoDb, $"missing-{Guid.NewGuid():N}", createTableIfMissing: false);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains("CodyBatch:Aws:CreateTableIfMissing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_open_pull_requests_index_is_sharded_and_items_of_the_one_partition_before_it_are_still_followed()
    {
        var store = await CreateStoreAsync();
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var jobs = new List<Job>();
        for (var i = 0; i < 24; i++)
        {
            var job = NewJob(at.AddSeconds(i), repositories: [$"o/r{i}"]);
            job = JobLifecycle.SetPullRequest(job, $"o/r{i}", PullRequestTracking.Opened($"https://github.example/o/r{i}/pull/1", 1, "b", "sha", false, null, at), at);
            await store.CreateAsync(job, CancellationToken.None);
            jobs.Add(job);
        }

        // One item as a version before the sharding wrote it: its index value is the single partition.
        await emulators.DynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = JobItems.Key(jobs[0].Id),
            UpdateExpression = "SET pulls = :legacy",
            ExpressionAttributeValues = new() { [":legacy"] = new AttributeValue { S = JobItems.LegacyOpenPulls } },
        });
        var partitions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var item = (await emulators.DynamoDb.GetItemAsync(new GetItemRequest { TableName = _table, Key = JobItems.Key(job.Id) })).Item;
            partitions.Add(item["pulls"].S);
        }

        var followed = await store.ListWithOpenPullRequestsAsync(CancellationToken.None);

        Assert.Equal(jobs.Select(j => j.Id).Order(StringComparer.Ordinal), followed.Select(j => j.Id));
        Assert.Contains(JobItems.LegacyOpenPulls, partitions);
        Assert.True(partitions.Count(p => p.StartsWith("PULLS#", StringComparison.Ordinal)) >= 4, string.Join(", ", partitions));
        Assert.All(partitions.Where(p => p != JobItems.LegacyOpenPulls), p => Assert.Contains(p, Enumerable.Range(0, JobItems.Shards).Select(JobItems.PullsPartition)));

        // Its next write moves it to its shard, and a closed one leaves the index.
        var legacy = (await store.GetAsync(jobs[0].Id, CancellationToken.None))!;
        var closed = JobLifecycle.SetPullRequest(legacy, "o/r0", PullRequestTracking.Closed(legacy.Runs[0].PullRequest!, at), at);
        await store.TryUpdateAsync(closed, CancellationToken.None);
        Assert.Equal(23, (await store.ListWithOpenPullRequestsAsync(CancellationToken.None)).Count);
    }
}
