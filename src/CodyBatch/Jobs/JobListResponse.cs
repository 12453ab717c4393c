namespace CodyBatch.Jobs;

/// <summary>
/// A page of jobs, newest first, each with excerpts only (see <see cref="JobListItem"/>); pass
/// <see cref="NextCursor"/> as <c>cursor</c> for the next page (null on the last).
/// </summary>
public sealed record JobListResponse(IReadOnlyList<JobListItem> Items, string? NextCursor);
