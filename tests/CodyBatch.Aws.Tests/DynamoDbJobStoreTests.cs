using CodyBatch.Aws.Jobs;
using CodyBatch.Core.Jobs;
using CodyBatch.Testing;

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
}
