namespace CodyBatch.Jobs;

/// <summary>A page of jobs, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record JobListResponse(IReadOnlyList<JobResponse> Items, string? NextCursor);
