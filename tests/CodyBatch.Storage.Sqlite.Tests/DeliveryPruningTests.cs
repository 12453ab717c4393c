using CodyBatch.Core.PullRequests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CodyBatch.Storage.Sqlite.Tests;

/// <summary>Webhook delivery ids on SQLite are forgotten after the retention, as DynamoDB's time to live does there.</summary>
public sealed class DeliveryPruningTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _folder = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly SqliteJobStore _store;

    public DeliveryPruningTests() => _store = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("codybatch.db")));

    public void Dispose() => _folder.Dispose();

    private DeliveryLogPruner Pruner(TimeSpan retention) =>
        new(_store, Options.Create(new PullRequestOptions { DeliveryRetention = retention }), _time, NullLogger<DeliveryLogPruner>.Instance);

    [Fact]
    public async Task Ids_older_than_the_retention_are_pruned_and_younger_ones_still_refuse_a_replay()
    {
        var pruner = Pruner(TimeSpan.FromDays(3));
        Assert.True(await _store.TryRecordDeliveryAsync("old", T0, CancellationToken.None));
        Assert.True(await _store.TryRecordDeliveryAsync("young", T0.AddDays(2), CancellationToken.None));

        _time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await pruner.PruneOnceAsync(CancellationToken.None));
        Assert.False(await _store.TryRecordDeliveryAsync("old", _time.GetUtcNow(), CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await pruner.PruneOnceAsync(CancellationToken.None));

        Assert.True(await _store.TryRecordDeliveryAsync("old", _time.GetUtcNow(), CancellationToken.None));
        Assert.False(await _store.TryRecordDeliveryAsync("young", _time.GetUtcNow(), CancellationToken.None));
    }
}
