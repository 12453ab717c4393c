namespace CodyBatch.Core.Access;

/// <summary>
/// The append-only audit log. Nothing changes an entry once written; only <see cref="DeleteBeforeAsync"/>
/// removes entries, and only those older than the retention. Every implementation passes the same contract test suite.
/// </summary>
public interface IAuditLog
{
    /// <summary>Adds an entry.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Entries newest first, filtered. <see cref="AuditQuery.Since"/> and <see cref="AuditQuery.Until"/> are set
    /// (by <see cref="AuditTrail"/>): a store may read time partitions between them and no others.
    /// </summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Removes entries older than <paramref name="cutoff"/> (retention); returns how many it removed, where the store can tell.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
