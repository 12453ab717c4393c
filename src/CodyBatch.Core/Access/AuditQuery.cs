namespace CodyBatch.Core.Access;

/// <summary>A page request for the audit log, newest first.</summary>
/// <param name="Actor">Only entries by this actor (exact, case-insensitive).</param>
/// <param name="Action">Only this action (exact, case-insensitive).</param>
/// <param name="Target">Only entries whose target contains this text (case-insensitive).</param>
/// <param name="Since">Only entries at or after this time.</param>
/// <param name="Until">Only entries before this time.</param>
/// <param name="Limit">Page size (1–200).</param>
/// <param name="Cursor">The previous page's <see cref="AuditPage.NextCursor"/>: the last id seen.</param>
public sealed record AuditQuery(
    string? Actor = null, string? Action = null, string? Target = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, int Limit = 50, string? Cursor = null);
