using System.Text.Json.Serialization;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Runs;

namespace CodyBatch.Storage.Sqlite.Jobs;

/// <summary>
/// The embedded job store: one SQLite file in WAL mode. A job is a row in <c>jobs</c> and its
/// runs rows in <c>runs</c> (queried columns plus the run as JSON). Every write is one
/// immediate transaction guarded by the job's version, so concurrent writers lose nothing.
/// </summary>
public sealed partial class SqliteJobStore : IJobStore, IDeliveryLog
{
    private static readonly string[] ActiveStatuses = [Text(RunStatus.Fetching), Text(RunStatus.Analyzing), Text(RunStatus.Publishing)];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private readonly SemaphoreSlim _writer = new(1, 1);
    private volatile bool _initialized;

    /// <summary>A store on the database file at <paramref name="location"/>; the folder is created when missing.</summary>
    public SqliteJobStore(SqliteStoreLocation location)
    {
        var path = Path.GetFullPath(location.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initialize.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await using var connection = new SqliteConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
                await SqliteSchema.MigrateAsync(connection, cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initialize.Release();
        }
    }

    /// <inheritdoc />
    public async Task CreateAsync(Job job, CancellationToken cancellationToken)
    {
        await using var connection = await OpenForWriteAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var insert = Command(connection, transaction, """
            INSERT INTO jobs (id, version, status, prompt, title, mode, model, thinking_budget_tokens, created_at, started_at, finished_at, checks, publish, campaign_id, author, author_key_id, shell, network, budget_usd)
            VALUES ($id, $version, $status, $prompt, $title, $mode, $model, $thinking, $created, $started, $finished, $checks, $publish, $campaign, $author, $authorKey, $shell, $network, $budget)
            """))
        {
            BindJob(insert, job);
            insert.Parameters.AddWithValue("$publish", JsonSerializer.Serialize(job.Publish, Json));
            insert.Parameters.AddWithValue("$version", job.Version);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var i = 0; i < job.Runs.Count; i++)
        {
            await using var run = Command(connection, transaction, """
                INSERT INTO runs (job_id, position, repository, status, lease_expires_at, data)
                VALUES ($job, $position, $repository, $status, $lease, $data)
                """);
            BindRun(run, job.Id, i, job.Runs[i]);
            await run.ExecuteNonQueryAsync(cancellationToken);
        }

        var key = SearchKey.Of(job.Id);
        while (true)
        {
            await using var claim = Command(connection, transaction, "INSERT OR IGNORE INTO job_search_keys (key, job_id) VALUES ($key, $id)");
            claim.Parameters.AddWithValue("$key", key);
            claim.Parameters.AddWithValue("$id", job.Id);
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                break;
            }

            key++;
        }

        await using (var search = Command(connection, transaction, """
            INSERT INTO job_search (rowid, prompt, title, repositories) VALUES ($key, $prompt, $title, $repositories);
            """))
        {
            search.Parameters.AddWithValue("$key", key);
            search.Parameters.AddWithValue("$prompt", job.Prompt);
            search.Parameters.AddWithValue("$title", (object?)job.Title ?? DBNull.Value);
            search.Parameters.AddWithValue("$repositories", string.Join('\n', job.Runs.Select(r => r.Repository)));
            await search.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Commit();
    }

    /// <inheritdoc />
    public async Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var jobs = await ReadJobsAsync(connection, "WHERE id = $id", cmd => cmd.Parameters.AddWithValue("$id", jobId), cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc />
    public async Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken)
    {
        await using var connection = await OpenForWriteAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var update = Command(connection, transaction, """
            UPDATE jobs SET version = version + 1, status = $status, prompt = $prompt, title = $title, mode = $mode,
                model = $model, thinking_budget_tokens = $thinking, created_at = $created, started_at = $started, finished_at = $finished, checks = $checks, campaign_id = $campaign,
                author = $author, author_key_id = $authorKey, shell = $shell, network = $network, budget_usd = $budget
            WHERE id = $id AND version = $expected
            """))
        {
            BindJob(update, job);
            update.Parameters.AddWithValue("$expected", job.Version);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }

        for (var i = 0; i < job.Runs.Count; i++)
        {
            await using var run = Command(connection, transaction, """
                UPDATE runs SET repository = $repository, status = $status, lease_expires_at = $lease, data = $data
                WHERE job_id = $job AND position = $position
                """);
            BindRun(run, job.Id, i, job.Runs[i]);
            if (await run.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"Job {job.Id} has no run at position {i}; a job's repositories never change.");
            }
        }

        // The search row changes only when the prompt or title did (a run's progress leaves it alone).
        await using (var search = Command(connection, transaction, """
            UPDATE job_search SET prompt = $prompt, title = $title
            WHERE rowid = (SELECT key FROM job_search_keys WHERE job_id = $id) AND (prompt IS NOT $prompt OR title IS NOT $title)
            """))
        {
            search.Parameters.AddWithValue("$id", job.Id);
            search.Parameters.AddWithValue("$prompt", job.Prompt);
            search.Parameters.AddWithValue("$title", (object?)job.Title ?? DBNull.Value);
            await search.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Commit();
        return job with { Version = job.Version + 1 };
    }

    private static string Active => string.Join(", ", ActiveStatuses.Select(s => $"'{s}'"));

    internal Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(new SqliteConnection(_connectionString), cancellationToken);

    /// <summary>
    /// A connection for one write, once no other write of this process holds one; disposing it lets the next in.
    /// SQLite lets one writer at a time hold its lock anyway: a writer that waits here waits asynchronously, with no
    /// thread held, where one that waited on the lock would keep a thread-pool thread asleep in SQLite's busy handler
    /// (whose growing sleeps also leave the lock idle after it frees). Writers of other processes still meet the busy timeout.
    /// </summary>
    internal async Task<SqliteConnection> OpenForWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        var connection = new WriterConnection(_connectionString, _writer);
        try
        {
            return await OpenAsync(connection, cancellationToken);
        }
        catch
        {
            // Disposing closes what was opened and lets the next writer in.
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await connection.OpenAsync(cancellationToken);

        // SQLite's own busy handler waits in steps of a few milliseconds; without it the
        // driver's retry sleeps 150 ms whenever two writers meet.
        await using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 30000;";
        await busy.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
