using CodyBatch.Core.Jobs;
using CodyBatch.Storage.Sqlite.Jobs;
using CodyBatch.Testing;
using Microsoft.Data.Sqlite;

namespace CodyBatch.Storage.Sqlite.Tests;

public sealed class SqliteJobStoreTests : JobStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        var store = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("data", "codybatch.db")));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    protected override async Task<IJobStore> OpenSecondWriterAsync(IJobStore store)
    {
        var second = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("data", "codybatch.db")));
        await second.InitializeAsync(CancellationToken.None);
        return second;
    }

    [Fact]
    public async Task Database_is_in_wal_mode_and_migrations_run_once()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(DateTimeOffset.UtcNow);
        await store.CreateAsync(job, CancellationToken.None);

        // A second start on the same file keeps the data.
        var again = await CreateStoreAsync();

        Assert.NotNull(await again.GetAsync(job.Id, CancellationToken.None));
        await using var connection = new SqliteConnection($"Data Source={_folder.Combine("data", "codybatch.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal(3L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused_with_a_reason()
    {
        var path = _folder.Combine("newer.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            await command.ExecuteNonQueryAsync();
        }

        var store = new SqliteJobStore(new SqliteStoreLocation(path));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Contains("newer Cody Batch", error.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
