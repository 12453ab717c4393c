namespace CodyBatch.Core.Access;

/// <summary>One page of the audit log, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);
