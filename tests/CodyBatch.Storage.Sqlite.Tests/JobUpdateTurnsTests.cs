using CodyBatch.Core.Engine;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Storage.Sqlite.Tests;

/// <summary>Writers of one job in one process take turns: none loses the version race to another, none is lost.</summary>
public sealed class JobUpdateTurnsTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Concurrent_updates_of_one_job_in_one_process_all_land_with_no_write_refused()
    {
        var sqlite = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("data", "codybatch.db")));
        await sqlite.InitializeAsync(CancellationToken.None);
        var store = new CountingJobStore(sqlite) { YieldAfterRead = true };
        var job = JobLifecycle.Create("Count", "0", JobMode.PullRequest, "claude-test", ["octo/a", "octo/b", "octo/c", "octo/d", "octo/e"], DateTimeOffset.UtcNow);
        await store.CreateAsync(job, CancellationToken.None);
        store.Clear();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => store.UpdateAsync(
            job.Id, j => j with { Title = (int.Parse(j.Title!, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }, CancellationToken.None))));

        var stored = await sqlite.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal("40", stored!.Title);
        Assert.Equal(job.Version + 40, stored.Version);
        Assert.Equal(40, store.WritesTried);
    }
}
