namespace CodyBatch.Storage.Sqlite.Jobs;

/// <summary>
/// The schema, as numbered migrations tracked in <c>PRAGMA user_version</c>. Each start applies
/// the ones the file has not seen; add new ones at the end, never edit an old one.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            prompt TEXT NOT NULL,
            title TEXT NULL,
            mode TEXT NOT NULL,
            model TEXT NOT NULL,
            created_at TEXT NOT NULL,
            started_at TEXT NULL,
            finished_at TEXT NULL
        );
        CREATE INDEX jobs_by_status ON jobs (status, id);
        CREATE TABLE runs (
            job_id TEXT NOT NULL REFERENCES jobs (id),
            position INTEGER NOT NULL,
            repository TEXT NOT NULL,
            status TEXT NOT NULL,
            lease_expires_at INTEGER NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (job_id, position)
        );
        CREATE INDEX runs_by_status ON runs (status, lease_expires_at);
        """,
        """
        ALTER TABLE jobs ADD COLUMN thinking_budget_tokens INTEGER NULL;
        """,
        """
        ALTER TABLE jobs ADD COLUMN checks TEXT NULL;
        """,
        """
        ALTER TABLE jobs ADD COLUMN publish TEXT NULL;
        """,
        """
        ALTER TABLE jobs ADD COLUMN campaign_id TEXT NULL;
        CREATE INDEX runs_with_open_pull_requests ON runs (job_id) WHERE json_extract(data, '$.pullRequest.state') = 'open';
        CREATE TABLE webhook_deliveries (
            id TEXT NOT NULL PRIMARY KEY,
            received_at TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE saved_prompts (
            id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            sort_key TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE TABLE schedules (
            id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            sort_key TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE TABLE notification_deliveries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX notification_deliveries_by_job ON notification_deliveries (job_id, seq);
        """,
        """
        ALTER TABLE jobs ADD COLUMN author TEXT NULL;
        ALTER TABLE jobs ADD COLUMN author_key_id TEXT NULL;
        CREATE INDEX jobs_by_author ON jobs (author COLLATE NOCASE, id);
        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            sort_key TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (json_extract(data, '$.hash'));
        CREATE TABLE audit_log (
            id TEXT NOT NULL PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX audit_log_by_actor ON audit_log (actor COLLATE NOCASE, id);
        CREATE INDEX audit_log_by_at ON audit_log (at);
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        """,
        // Text search: an FTS5 trigram index (any substring of three or more characters, case-insensitive, as the
        // LIKE it replaces) over prompt, title and repository names. A job's row there has an integer key that sorts as
        // its id does (SearchKey), so a search reads the index newest first; the store writes both in the job's transaction.
        """
        CREATE TABLE job_search_keys (
            key INTEGER PRIMARY KEY,
            job_id TEXT NOT NULL UNIQUE
        );
        CREATE VIRTUAL TABLE job_search USING fts5(prompt, title, repositories, tokenize = 'trigram');
        INSERT OR IGNORE INTO job_search_keys (key, job_id) SELECT codybatch_search_key(id), id FROM jobs ORDER BY id;
        INSERT INTO job_search_keys (key, job_id)
            SELECT (SELECT coalesce(max(key), 0) FROM job_search_keys) + row_number() OVER (ORDER BY id), id
            FROM jobs WHERE id NOT IN (SELECT job_id FROM job_search_keys);
        INSERT INTO job_search (rowid, prompt, title, repositories)
            SELECT k.key, j.prompt, j.title, (SELECT group_concat(r.repository, char(10)) FROM runs r WHERE r.job_id = j.id)
            FROM jobs j JOIN job_search_keys k ON k.job_id = j.id;
        """,
        // A job's shell and network (null shell: a job from before the field, which follows the server).
        """
        ALTER TABLE jobs ADD COLUMN shell INTEGER NULL;
        ALTER TABLE jobs ADD COLUMN network TEXT NOT NULL DEFAULT 'registries';
        """,
        // A job's dollar budget across its runs, as invariant text (null: none).
        """
        ALTER TABLE jobs ADD COLUMN budget_usd TEXT NULL;
        """,
    ];

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var wal = connection.CreateCommand())
        {
            // WAL lets readers and one writer work at once; it is a property of the file and persists.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        connection.CreateFunction("codybatch_search_key", (string id) => SearchKey.Of(id), isDeterministic: true);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database was written by a newer Cody Batch (schema {version}, this one knows {Migrations.Length}); upgrade Cody Batch or point CodyBatch:DataDirectory elsewhere.");
        }

        for (var i = version; i < Migrations.Length; i++)
        {
            await using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[i] + $"\nPRAGMA user_version = {i + 1};";
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
