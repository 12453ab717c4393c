namespace CodyBatch.Core.PullRequests;

/// <summary>A review, a line comment on the diff, or a conversation comment.</summary>
/// <param name="Id">The host's id (a line comment's is what replies go under).</param>
/// <param name="Author">Who wrote it.</param>
/// <param name="Association">GitHub's <c>author_association</c>.</param>
/// <param name="Body">The text.</param>
/// <param name="Path">The file, for a line comment.</param>
/// <param name="Line">The line, for a line comment.</param>
/// <param name="DiffHunk">The diff hunk it was written on, for a line comment.</param>
public sealed record RoundComment(long Id, string Author, string? Association, string Body, string? Path = null, int? Line = null, string? DiffHunk = null)
{
    /// <summary>True for a comment on a line of the diff (replies go under it).</summary>
    public bool OnLine => Path is not null;
}
