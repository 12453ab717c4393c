namespace CodyBatch.Core.Jobs;

/// <summary>The start of a long text, for lists.</summary>
public static class Excerpt
{
    /// <summary>The ellipsis that ends a cut text.</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="length"/> + 1 characters (so an
    /// excerpt cut once is not cut again), else its first <paramref name="length"/> characters and "…".
    /// </summary>
    public static string? Of(string? text, int length) =>
        text is null || text.Length <= length + 1 ? text : string.Concat(text.AsSpan(0, length), Ellipsis);

    /// <summary>True when <paramref name="excerpt"/> is a text that <see cref="Of"/> cut to <paramref name="length"/>.</summary>
    public static bool IsCut(string? excerpt, int length) =>
        excerpt is not null && excerpt.Length == length + 1 && excerpt.EndsWith(Ellipsis, StringComparison.Ordinal);
}
