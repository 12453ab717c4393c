using CodyBatch.Aws.Documents;
using CodyBatch.Core.Access;

namespace CodyBatch.Aws.Access;

/// <summary>
/// Named API keys in the jobs table: items <c>pk = APIKEYS, sk = id</c>. A server has tens of keys, so a
/// lookup by digest reads the one partition (strongly consistent: a revocation counts at once) and compares
/// every digest in constant time.
/// </summary>
public sealed class DynamoDbApiKeyStore(IAmazonDynamoDB client, string tableName) : IApiKeyStore
{
    private readonly DynamoDbDocuments<ApiKey> _documents = new(client, tableName, "APIKEYS", k => k.Id, k => k.Version, (k, v) => k with { Version = v });

    /// <inheritdoc />
    public Task CreateAsync(ApiKey key, CancellationToken cancellationToken) => _documents.CreateAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken) => _documents.GetAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        var presented = Encoding.ASCII.GetBytes(hash);
        ApiKey? found = null;
        foreach (var key in await _documents.ListAsync(cancellationToken))
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(key.Hash)))
            {
                found = key;
            }
        }

        return found;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await _documents.ListAsync(cancellationToken)).OrderBy(k => k.Id, StringComparer.Ordinal)];

    /// <inheritdoc />
    public Task<ApiKey?> TryUpdateAsync(ApiKey key, CancellationToken cancellationToken) => _documents.TryUpdateAsync(key, cancellationToken);
}
