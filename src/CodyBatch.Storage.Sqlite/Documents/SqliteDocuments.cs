using System.Text.Json.Serialization;

namespace CodyBatch.Storage.Sqlite.Documents;

/// <summary>
/// Records kept whole as JSON in a table of <c>(id, version, sort_key, data)</c>, with
/// optimistic updates on the version. Saved prompts and schedules are small and read whole.
/// </summary>
internal sealed class SqliteDocuments<T>(SqliteJobStore database, string table, Func<T, string> id, Func<T, long> version, Func<T, string> sortKey, Func<T, long, T> withVersion)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task CreateAsync(T document, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {table} (id, version, sort_key, data) VALUES ($id, $version, $sort, $data) ON CONFLICT (id) DO NOTHING";
        Bind(insert, document, version(document));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException($"A record with id {id(document)} exists already.");
        }
    }

    /// <summary>Stores several new documents in one transaction: all or none.</summary>
    public async Task CreateManyAsync(IReadOnlyList<T> documents, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var document in documents)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO {table} (id, version, sort_key, data) VALUES ($id, $version, $sort, $data) ON CONFLICT (id) DO NOTHING";
            Bind(insert, document, version(document));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"A record with id {id(document)} exists already.");
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<T?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("WHERE id = $id", c => c.Parameters.AddWithValue("$id", key), cancellationToken);
        return found.Count == 0 ? default : found[0];
    }

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken) => QueryAsync("", _ => { }, cancellationToken);

    /// <summary>The documents a <c>WHERE</c> clause over <c>id</c>, <c>sort_key</c> and <c>data</c> selects.</summary>
    public Task<IReadOnlyList<T>> WhereAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken) => QueryAsync(where, bind, cancellationToken);

    /// <summary>The versions of the documents a <c>WHERE</c> clause selects, added up (0 when none), without reading them.</summary>
    public async Task<long> SumVersionsAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT coalesce(sum(version), 0) FROM {table} {where}";
        bind(select);
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<T?> TryUpdateAsync(T document, CancellationToken cancellationToken)
    {
        var stored = withVersion(document, version(document) + 1);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.CommandText = $"UPDATE {table} SET version = $version, sort_key = $sort, data = $data WHERE id = $id AND version = $expected";
        Bind(update, stored, version(stored));
        update.Parameters.AddWithValue("$expected", version(document));
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1 ? stored : default;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var delete = connection.CreateCommand();
        delete.CommandText = $"DELETE FROM {table} WHERE id = $id";
        delete.Parameters.AddWithValue("$id", key);
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<T>> QueryAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT version, data FROM {table} {where} ORDER BY sort_key, id";
        bind(select);
        var list = new List<T>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var document = JsonSerializer.Deserialize<T>(reader.GetString(1), Json)!;
            list.Add(withVersion(document, reader.GetInt64(0)));
        }

        return list;
    }

    private void Bind(SqliteCommand command, T document, long storedVersion)
    {
        command.Parameters.AddWithValue("$id", id(document));
        command.Parameters.AddWithValue("$version", storedVersion);
        command.Parameters.AddWithValue("$sort", sortKey(document));
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(document, Json));
    }
}
