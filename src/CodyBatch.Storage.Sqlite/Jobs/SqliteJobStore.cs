using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Runs;
using Microsoft.Data.Sqlite;

namespace CodyBatch.Storage.Sqlite.Jobs;

/// <summary>
/// The embedded job store: one SQLite file in WAL mode. A job is a row in <c>jobs</c> and its
/// runs rows in <c>runs</c> (queried columns plus the run as JSON). Every write is one
/// immediate transaction guarded by the job's version, so concurrent writers lose nothing.
/// </summary>
public sealed class SqliteJobStore : IJobStore, IDeliveryLog
{
    private static readonly string[] ActiveStatuses = [Text(RunStatus.Fetching), Text(RunStatus.Analyzing), Text(RunStatus.Publishing)];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialize = new(1, 1);
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var insert = Command(connection, transaction, """
            INSERT INTO jobs (id, version, status, prompt, title, mode, model, thinking_budget_tokens, created_at, started_at, finished_at, checks, publish, campaign_id, author, author_key_id, shell, network)
            VALUES ($id, $version, $status, $prompt, $title, $mode, $model, $thinking, $created, $started, $finished, $checks, $publish, $campaign, $author, $authorKey, $shell, $network)
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var update = Command(connection, transaction, """
            UPDATE jobs SET version = version + 1, status = $status, prompt = $prompt, title = $title, mode = $mode,
                model = $model, thinking_budget_tokens = $thinking, created_at = $created, started_at = $started, finished_at = $finished, checks = $checks, campaign_id = $campaign,
                author = $author, author_key_id = $authorKey, shell = $shell, network = $network
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

    /// <inheritdoc />
    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, 100);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();

        // Three characters or more: the trigram index, read newest first (its keys sort as ids do) until a page matched,
        // with the other filters on the jobs it finds. Shorter text is below a trigram: a scan, as before the index.
        var indexed = text is not null && text.EnumerateRunes().Count() >= 3;
        var j = indexed ? "j." : "";
        var conditions = new List<string>();
        var binds = new List<Action<SqliteCommand>>();
        if (query.Status is JobStatus.Failed)
        {
            // A job with any failed run belongs under "failed", also when others succeeded.
            conditions.Add($"({j}status = 'failed' OR {j}id IN (SELECT job_id FROM runs WHERE status = 'failed'))");
        }
        else if (query.Status is { } status)
        {
            conditions.Add($"{j}status = $status");
            binds.Add(c => c.Parameters.AddWithValue("$status", Text(status)));
        }

        if (!string.IsNullOrWhiteSpace(query.Author))
        {
            conditions.Add($"{j}author = $author COLLATE NOCASE");
            binds.Add(c => c.Parameters.AddWithValue("$author", query.Author.Trim()));
        }

        if (indexed)
        {
            conditions.Insert(0, "job_search MATCH $match");
            binds.Add(c => c.Parameters.AddWithValue("$match", $"\"{text!.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
            if (query.Cursor is { } after)
            {
                conditions.Add("s.rowid < coalesce((SELECT key FROM job_search_keys WHERE job_id = $cursor), $key)");
                binds.Add(c => c.Parameters.AddWithValue("$cursor", after));
                binds.Add(c => c.Parameters.AddWithValue("$key", SearchKey.Of(after)));
            }

            conditions = [$"""
                id IN (SELECT k.job_id FROM job_search s CROSS JOIN job_search_keys k CROSS JOIN jobs j
                       WHERE k.key = s.rowid AND j.id = k.job_id AND {string.Join(" AND ", conditions)}
                       ORDER BY s.rowid DESC LIMIT {limit + 1})
                """];
        }
        else
        {
            if (text is not null)
            {
                conditions.Add("(prompt LIKE $text ESCAPE '\\' OR title LIKE $text ESCAPE '\\' OR id IN (SELECT job_id FROM runs WHERE repository LIKE $text ESCAPE '\\'))");
                var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
                binds.Add(c => c.Parameters.AddWithValue("$text", $"%{escaped}%"));
            }

            if (query.Cursor is { } cursor)
            {
                conditions.Add("id < $cursor");
                binds.Add(c => c.Parameters.AddWithValue("$cursor", cursor));
            }
        }

        // A search pages by index key (the id's order, but for jobs of one millisecond whose keys met: insertion order).
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var order = indexed ? "(SELECT key FROM job_search_keys WHERE job_id = id) DESC" : "id DESC";
        await using var connection = await OpenAsync(cancellationToken);
        var jobs = await ReadJobsAsync(
            connection,
            $"{where} ORDER BY {order} LIMIT {limit + 1}",
            cmd => binds.ForEach(bind => bind(cmd)),
            cancellationToken,
            query.ExcerptLength is { } excerpt ? Math.Max(excerpt, 1) : null);
        return jobs.Count > limit
            ? new JobPage(jobs.Take(limit).ToArray(), jobs[limit - 1].Id)
            : new JobPage(jobs, null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT r.job_id, r.repository FROM runs r
            WHERE r.status = 'queued'
               OR (r.status IN ({Active}) AND (r.lease_expires_at IS NULL OR r.lease_expires_at <= $now))
            ORDER BY (SELECT COUNT(*) FROM runs a
                      WHERE a.job_id = r.job_id AND a.status IN ({Active}) AND a.lease_expires_at > $now),
                     r.job_id, r.position
            LIMIT $limit
            """);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<RunRef>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new RunRef(reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadJobsAsync(
            connection,
            "WHERE id IN (SELECT job_id FROM runs WHERE json_extract(data, '$.pullRequest.state') = 'open') ORDER BY id",
            _ => { },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryRecordDeliveryAsync(string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = Command(connection, null, "INSERT INTO webhook_deliveries (id, received_at) VALUES ($id, $at) ON CONFLICT (id) DO NOTHING");
        insert.Parameters.AddWithValue("$id", deliveryId);
        insert.Parameters.AddWithValue("$at", FormatTime(receivedAt));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task ForgetDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var delete = Command(connection, null, "DELETE FROM webhook_deliveries WHERE id = $id");
        delete.Parameters.AddWithValue("$id", deliveryId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> PruneDeliveriesAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        // Times are stored as round-trip UTC text, so text order is time order.
        await using var connection = await OpenAsync(cancellationToken);
        await using var delete = Command(connection, null, "DELETE FROM webhook_deliveries WHERE received_at < $before");
        delete.Parameters.AddWithValue("$before", FormatTime(receivedBefore));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Active => string.Join(", ", ActiveStatuses.Select(s => $"'{s}'"));

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // SQLite's own busy handler waits in steps of a few milliseconds; without it the
        // driver's retry sleeps 150 ms whenever two writers meet.
        await using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 30000;";
        await busy.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static async Task<List<Job>> ReadJobsAsync(
        SqliteConnection connection, string tail, Action<SqliteCommand> bind, CancellationToken cancellationToken, int? excerpt = null)
    {
        // A list reads excerpts: SQLite cuts the long texts, so they never reach managed memory whole.
        var prompt = excerpt is { } n ? Cut("prompt", n) : "prompt";
        var data = excerpt is { } m
            ? $"json_remove(CASE WHEN length(json_extract(data, '$.summary')) > {m + 1} THEN json_set(data, '$.summary', substr(json_extract(data, '$.summary'), 1, {m}) || '{Excerpt.Ellipsis}') ELSE data END, '$.submission')"
            : "data";
        // One snapshot for the job rows and their runs, so a write in between cannot tear them apart.
        await using var transaction = connection.BeginTransaction(deferred: true);

        var jobs = new List<Job>();
        await using (var command = Command(connection, transaction, $"""
            SELECT id, version, status, {prompt}, title, mode, model, created_at, started_at, finished_at, thinking_budget_tokens, checks, publish, campaign_id, author, author_key_id, shell, network FROM jobs {tail}
            """))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(new Job
                {
                    Id = reader.GetString(0),
                    Version = reader.GetInt64(1),
                    Status = Enum.Parse<JobStatus>(reader.GetString(2), ignoreCase: true),
                    Prompt = reader.GetString(3),
                    Title = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Mode = Enum.Parse<JobMode>(reader.GetString(5), ignoreCase: true),
                    Model = reader.GetString(6),
                    CreatedAt = ParseTime(reader.GetString(7)),
                    StartedAt = reader.IsDBNull(8) ? null : ParseTime(reader.GetString(8)),
                    FinishedAt = reader.IsDBNull(9) ? null : ParseTime(reader.GetString(9)),
                    ThinkingBudgetTokens = reader.IsDBNull(10) ? null : reader.GetInt32(10),
                    Checks = reader.IsDBNull(11) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(11), Json),
                    Publish = reader.IsDBNull(12) ? PublishSettings.Default : JsonSerializer.Deserialize<PublishSettings>(reader.GetString(12), Json)!,
                    CampaignId = reader.IsDBNull(13) ? null : reader.GetString(13),
                    Author = reader.IsDBNull(14) ? null : reader.GetString(14),
                    AuthorKeyId = reader.IsDBNull(15) ? null : reader.GetString(15),
                    Shell = reader.IsDBNull(16) ? null : reader.GetInt64(16) != 0,
                    Network = Enum.Parse<JobNetwork>(reader.GetString(17), ignoreCase: true),
                    Runs = [],
                });
            }
        }

        if (jobs.Count == 0)
        {
            return jobs;
        }

        var runs = jobs.ToDictionary(j => j.Id, _ => new List<RepositoryRun>());
        await using (var command = Command(connection, transaction,
            $"SELECT job_id, {data} FROM runs WHERE job_id IN ({string.Join(", ", jobs.Select((_, i) => $"$j{i}"))}) ORDER BY job_id, position"))
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                command.Parameters.AddWithValue($"$j{i}", jobs[i].Id);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs[reader.GetString(0)].Add(JsonSerializer.Deserialize<RepositoryRun>(reader.GetString(1), Json)!);
            }
        }

        return [.. jobs.Select(j => j with { Runs = runs[j.Id] })];
    }

    private static string Cut(string column, int length) =>
        $"CASE WHEN length({column}) > {length + 1} THEN substr({column}, 1, {length}) || '{Excerpt.Ellipsis}' ELSE {column} END";

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void BindJob(SqliteCommand command, Job job)
    {
        command.Parameters.AddWithValue("$id", job.Id);
        command.Parameters.AddWithValue("$status", Text(job.Status));
        command.Parameters.AddWithValue("$prompt", job.Prompt);
        command.Parameters.AddWithValue("$title", (object?)job.Title ?? DBNull.Value);
        command.Parameters.AddWithValue("$mode", Text(job.Mode));
        command.Parameters.AddWithValue("$model", job.Model);
        command.Parameters.AddWithValue("$thinking", (object?)job.ThinkingBudgetTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", FormatTime(job.CreatedAt));
        command.Parameters.AddWithValue("$started", job.StartedAt is { } s ? FormatTime(s) : DBNull.Value);
        command.Parameters.AddWithValue("$finished", job.FinishedAt is { } f ? FormatTime(f) : DBNull.Value);
        command.Parameters.AddWithValue("$checks", job.Checks is { } checks ? JsonSerializer.Serialize(checks, Json) : DBNull.Value);
        command.Parameters.AddWithValue("$campaign", (object?)job.CampaignId ?? DBNull.Value);
        command.Parameters.AddWithValue("$author", (object?)job.Author ?? DBNull.Value);
        command.Parameters.AddWithValue("$authorKey", (object?)job.AuthorKeyId ?? DBNull.Value);
        command.Parameters.AddWithValue("$shell", job.Shell is { } shell ? (shell ? 1 : 0) : DBNull.Value);
        command.Parameters.AddWithValue("$network", Text(job.Network));
    }

    private static void BindRun(SqliteCommand command, string jobId, int position, RepositoryRun run)
    {
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$position", position);
        command.Parameters.AddWithValue("$repository", run.Repository);
        command.Parameters.AddWithValue("$status", Text(run.Status));
        command.Parameters.AddWithValue("$lease", run.LeaseExpiresAt is { } lease ? lease.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(run, Json));
    }

    private static string Text<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
