namespace CodyBatch.Core.Access;

/// <summary>
/// A named API key as stored: never the key itself, only <see cref="Hash"/>, the lower-case hex
/// SHA-256 of its text. The text has 256 random bits, so the digest cannot be reversed by trying
/// keys, however fast the hash (a slow KDF protects guessable passwords, which these are not).
/// </summary>
public sealed record ApiKey
{
    /// <summary><c>key-</c> and a time-ordered id.</summary>
    public required string Id { get; init; }

    /// <summary>Who holds it (unique among keys); what authorship and the audit log record.</summary>
    public required string Name { get; init; }

    /// <summary>What it may do.</summary>
    public required Role Role { get; init; }

    /// <summary>Lower-case hex SHA-256 of the key's text.</summary>
    public required string Hash { get; init; }

    /// <summary>The first characters of the key (<c>cb_</c> and four more), so a holder can tell keys apart.</summary>
    public required string Prefix { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>After this time the key is refused; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it was revoked; refused from then on.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When it last opened a request (updated at most once a minute).</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>Most US dollars the jobs this key creates may cost in one calendar month (UTC); null for no cap of its own.</summary>
    public decimal? MonthlyCapUsd { get; init; }

    /// <summary>Optimistic-concurrency version.</summary>
    public long Version { get; init; }

    /// <summary>Whether the key opens requests at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || expires > now);
}
