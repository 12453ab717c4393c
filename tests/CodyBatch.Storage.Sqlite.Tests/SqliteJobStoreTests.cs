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
    public async Task A_list_with_excerpts_reads_long_texts_cut_and_a_job_reads_them_whole()
    {
        var store = await CreateStoreAsync();
        var job = NewJob(DateTimeOffset.UtcNow);
        var summary = new string('s', 40_000) + "end";
        var prompt = new string('p', 10_000);
        job = job with
        {
            Prompt = prompt,
            Runs = [.. job.Runs.Select(r => r with { Summary = summary, Submission = new Core.Runs.AgentSubmission { BaseCommitSha = "abc", PullRequestBody = summary } })],
        };
        await store.CreateAsync(job, CancellationToken.None);

        var listed = Assert.Single((await store.ListAsync(new JobQuery(ExcerptLength: 100), CancellationToken.None)).Items);
        var whole = Assert.Single((await store.ListAsync(new JobQuery(), CancellationToken.None)).Items);
        var read = await store.GetAsync(job.Id, CancellationToken.None);

        Assert.Equal(new string('p', 100) + "…", listed.Prompt);
        Assert.All(listed.Runs, r => Assert.Equal(new string('s', 100) + "…", r.Summary));
        Assert.All(listed.Runs, r => Assert.Null(r.Submission));
        Assert.Equal(prompt, whole.Prompt);
        Assert.All(whole.Runs, r => Assert.Equal(summary, r.Summary));
        Assert.All(read!.Runs, r => Assert.Equal(summary, r.Submission!.PullRequestBody));
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
        Assert.Equal(7L, (long)(await command.ExecuteScalarAsync())!);
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
