using CodyBatch.Core.Access;

namespace CodyBatch.Access;

/// <summary>A named API key as the API shows it: never its text or digest.</summary>
/// <param name="Id">key-…</param>
/// <param name="Name">Who holds it.</param>
/// <param name="Role">viewer, operator or admin.</param>
/// <param name="Prefix">The key's first characters, to tell keys apart.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="LastUsedAt">When it last opened a request (to the minute).</param>
/// <param name="MonthlyCapUsd">Its own monthly spend cap in US dollars.</param>
/// <param name="Active">Whether it opens requests now.</param>
public sealed record ApiKeyResponse(
    string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, decimal? MonthlyCapUsd, bool Active)
{
    internal static ApiKeyResponse From(ApiKey key, DateTimeOffset now) => new(
        key.Id, key.Name, AccessMiddleware.Name(key.Role), key.Prefix, key.CreatedAt, key.CreatedBy, key.ExpiresAt, key.RevokedAt, key.LastUsedAt, key.MonthlyCapUsd, key.IsActive(now));
}
