using Microsoft.Data.Sqlite;

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
    ];

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var wal = connection.CreateCommand())
        {
            // WAL lets readers and one writer work at once; it is a property of the file and persists.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

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
