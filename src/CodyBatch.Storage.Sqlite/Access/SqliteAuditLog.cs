using System.Globalization;
using CodyBatch.Core.Access;
using CodyBatch.Storage.Sqlite.Documents;

namespace CodyBatch.Storage.Sqlite.Access;

/// <summary>
/// The audit log in the job store's SQLite file (table <c>audit_log</c>). A trigger refuses every
/// <c>UPDATE</c>, so an entry once written stays as written; only the retention deletes.
/// </summary>
public sealed class SqliteAuditLog(SqliteJobStore database) : IAuditLog
{
    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO audit_log (id, at, actor, action, target, data) VALUES ($id, $at, $actor, $action, $target, $data)";
        insert.Parameters.AddWithValue("$id", entry.Id);
        insert.Parameters.AddWithValue("$at", Time(entry.At));
        insert.Parameters.AddWithValue("$actor", entry.Actor);
        insert.Parameters.AddWithValue("$action", entry.Action);
        insert.Parameters.AddWithValue("$target", (object?)entry.Target ?? DBNull.Value);
        insert.Parameters.AddWithValue("$data", JsonSerializer.Serialize(entry, SqliteDocuments<AuditEntry>.Json));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, 200);
        var conditions = new List<string>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            conditions.Add("actor = $actor COLLATE NOCASE");
            select.Parameters.AddWithValue("$actor", query.Actor.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            conditions.Add("action = $action COLLATE NOCASE");
            select.Parameters.AddWithValue("$action", query.Action.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.Target))
        {
            conditions.Add("instr(lower(target), lower($target)) > 0");
            select.Parameters.AddWithValue("$target", query.Target.Trim());
        }

        if (query.Since is { } since)
        {
            conditions.Add("at >= $since");
            select.Parameters.AddWithValue("$since", Time(since));
        }

        if (query.Until is { } until)
        {
            conditions.Add("at < $until");
            select.Parameters.AddWithValue("$until", Time(until));
        }

        if (query.Cursor is { } cursor)
        {
            conditions.Add("id < $cursor");
            select.Parameters.AddWithValue("$cursor", cursor);
        }

        select.CommandText = $"SELECT data FROM audit_log {(conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions))} ORDER BY id DESC LIMIT {limit + 1}";
        var entries = new List<AuditEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(JsonSerializer.Deserialize<AuditEntry>(reader.GetString(0), SqliteDocuments<AuditEntry>.Json)!);
        }

        return entries.Count > limit ? new AuditPage([.. entries.Take(limit)], entries[limit - 1].Id) : new AuditPage(entries, null);
    }

    /// <inheritdoc />
    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM audit_log WHERE at < $cutoff";
        delete.Parameters.AddWithValue("$cutoff", Time(cutoff));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    // Fixed width, so text order is time order.
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
