namespace CodyBatch.Core.Jobs;

/// <summary>A page request for the jobs list.</summary>
/// <param name="Status">Only jobs in this state.</param>
/// <param name="Text">Only jobs whose prompt or title contains this text (case-insensitive).</param>
/// <param name="Limit">Page size (1–100).</param>
/// <param name="Cursor">The <see cref="JobPage.NextCursor"/> of the previous page: the last job id seen.</param>
/// <param name="ExcerptLength">
/// When set, the texts that can be long (the prompt, run summaries) may come back as excerpts (see
/// <see cref="Excerpt"/>) and runs without their stored agent submission: a list needs no more, and a
/// store that reads less keeps a page's memory small. Null: whole jobs.
/// </param>
/// <param name="Author">Only jobs created by this author (a key's name, <c>schedule X</c>…; case-insensitive).</param>
public sealed record JobQuery(JobStatus? Status = null, string? Text = null, int Limit = 20, string? Cursor = null, int? ExcerptLength = null, string? Author = null);

/// <summary>One page of jobs, newest first.</summary>
public sealed record JobPage(IReadOnlyList<Job> Items, string? NextCursor);
