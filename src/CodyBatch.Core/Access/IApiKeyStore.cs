namespace CodyBatch.Core.Access;

/// <summary>Where named API keys live (hashed). Every implementation passes the same contract test suite.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key. Throws when the id exists.</summary>
    Task CreateAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>The key, or null.</summary>
    Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The key whose <see cref="ApiKey.Hash"/> is <paramref name="hash"/>, or null.</summary>
    Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Every key, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the key if its stored version is still <c>key.Version</c>; the stored key, or null when someone else wrote first.</summary>
    Task<ApiKey?> TryUpdateAsync(ApiKey key, CancellationToken cancellationToken);
}
