using CodyBatch.Core.Access;
using CodyBatch.Storage.Sqlite.Documents;

namespace CodyBatch.Storage.Sqlite.Access;

/// <summary>Named API keys in the job store's SQLite file (table <c>api_keys</c>, a unique index on the key's digest).</summary>
public sealed class SqliteApiKeyStore(SqliteJobStore database) : IApiKeyStore
{
    private readonly SqliteDocuments<ApiKey> _documents = new(database, "api_keys", k => k.Id, k => k.Version, k => k.Id, (k, v) => k with { Version = v });

    /// <inheritdoc />
    public Task CreateAsync(ApiKey key, CancellationToken cancellationToken) => _documents.CreateAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken) => _documents.GetAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        var found = await _documents.WhereAsync("WHERE json_extract(data, '$.hash') = $hash", c => c.Parameters.AddWithValue("$hash", hash), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => _documents.ListAsync(cancellationToken);

    /// <inheritdoc />
    public Task<ApiKey?> TryUpdateAsync(ApiKey key, CancellationToken cancellationToken) => _documents.TryUpdateAsync(key, cancellationToken);
}
