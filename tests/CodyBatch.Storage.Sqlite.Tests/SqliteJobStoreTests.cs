using CodyBatch.Core.Jobs;
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
        Assert.Equal(10L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_database_of_the_first_schema_is_migrated_and_keeps_its_jobs()
    {
        var path = _folder.Combine("v1.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE jobs (id TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL, prompt TEXT NOT NULL, title TEXT NULL,
                    mode TEXT NOT NULL, model TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT NULL, finished_at TEXT NULL);
                CREATE INDEX jobs_by_status ON jobs (status, id);
                CREATE TABLE runs (job_id TEXT NOT NULL REFERENCES jobs (id), position INTEGER NOT NULL, repository TEXT NOT NULL, status TEXT NOT NULL,
                    lease_expires_at INTEGER NULL, data TEXT NOT NULL, PRIMARY KEY (job_id, position));
                CREATE INDEX runs_by_status ON runs (status, lease_expires_at);
                INSERT INTO jobs VALUES ('01jjjjjjjjjjjjjjjjjjjjjjjj', 3, 'completed', 'Old prompt', NULL, 'pullRequest', 'claude-test', '2026-11-01T12:00:00.0000000+00:00', NULL, NULL);
                INSERT INTO runs VALUES ('01jjjjjjjjjjjjjjjjjjjjjjjj', 0, 'o/a', 'succeeded', NULL, '{"repository":"o/a","status":"succeeded","pullRequestUrl":"https://github.example/o/a/pull/1"}');
                PRAGMA user_version = 1;
                """;
            await command.ExecuteNonQueryAsync();
        }

        var store = new SqliteJobStore(new SqliteStoreLocation(path));
        var job = await store.GetAsync("01jjjjjjjjjjjjjjjjjjjjjjjj", CancellationToken.None);

        Assert.NotNull(job);
        Assert.Equal(("Old prompt", 3L, (string?)null), (job.Prompt, job.Version, job.CampaignId));
        Assert.Equal("https://github.example/o/a/pull/1", job.Runs[0].PullRequestUrl);
        Assert.Null(job.Runs[0].PullRequest);
        Assert.Empty(await store.ListWithOpenPullRequestsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Jobs_stored_before_the_search_index_are_found_by_it_after_the_migration()
    {
        var path = _folder.Combine("v7.db");
        var old = new SqliteJobStore(new SqliteStoreLocation(path));
        await old.InitializeAsync(CancellationToken.None);
        var job = NewJob(DateTimeOffset.UtcNow, "Rotate the signing keys", "Key rotation", "acme/vault-api");
        await old.CreateAsync(job, CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            // Back to schema 7, as a database written before the index was.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE job_search; DROP TABLE job_search_keys; ALTER TABLE jobs DROP COLUMN shell; ALTER TABLE jobs DROP COLUMN network; ALTER TABLE jobs DROP COLUMN budget_usd; PRAGMA user_version = 7;";
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        var store = new SqliteJobStore(new SqliteStoreLocation(path));

        Assert.Equal([job.Id], (await store.ListAsync(new JobQuery(Text: "signing"), CancellationToken.None)).Items.Select(j => j.Id));
        Assert.Equal([job.Id], (await store.ListAsync(new JobQuery(Text: "rotation"), CancellationToken.None)).Items.Select(j => j.Id));
        Assert.Equal([job.Id], (await store.ListAsync(new JobQuery(Text: "vault-a"), CancellationToken.None)).Items.Select(j => j.Id));
    }

    [Fact]
    public async Task The_search_index_has_one_row_per_job_written_with_it_and_none_for_a_refused_write()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(DateTimeOffset.UtcNow, "First prompt", "First title");
        await store.CreateAsync(job, CancellationToken.None);
        var duplicate = await Record.ExceptionAsync(() => store.CreateAsync(job with { Prompt = "Duplicate prompt" }, CancellationToken.None));
        var stale = await store.TryUpdateAsync(job with { Version = job.Version + 5, Title = "Stale title" }, CancellationToken.None);

        Assert.NotNull(duplicate);
        Assert.Null(stale);
        Assert.Empty((await store.ListAsync(new JobQuery(Text: "Duplicate"), CancellationToken.None)).Items);
        Assert.Empty((await store.ListAsync(new JobQuery(Text: "Stale"), CancellationToken.None)).Items);
        await using var connection = new SqliteConnection($"Data Source={_folder.Combine("data", "codybatch.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM job_search), (SELECT COUNT(*) FROM job_search_keys), (SELECT COUNT(*) FROM jobs);";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((1L, 1L, 1L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public async Task Jobs_of_one_millisecond_whose_search_keys_meet_are_each_found_once_page_by_page()
    {
        var store = await CreateStoreAsync();
        string[] ids = ["01kbbbbbbbbbbzzzzzzzzzzzzz", "01kbbbbbbbbbbaaaaaaaaaaaaa", "01kbbbbbbbbbbmmmmmmmmmmmmm", "01kbbbbbbbbbc0000000000000"];
        foreach (var id in ids)
        {
            await store.CreateAsync(NewJob(DateTimeOffset.UtcNow, "Rotate the keys") with { Id = id }, CancellationToken.None);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(new JobQuery(Text: "rotate", Limit: 1, Cursor: cursor), CancellationToken.None);
            seen.AddRange(page.Items.Select(j => j.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // Newest first; the three that share their key's bits come in the order they were stored, each once.
        Assert.Equal(["01kbbbbbbbbbc0000000000000", "01kbbbbbbbbbbmmmmmmmmmmmmm", "01kbbbbbbbbbbaaaaaaaaaaaaa", "01kbbbbbbbbbbzzzzzzzzzzzzz"], seen);
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
