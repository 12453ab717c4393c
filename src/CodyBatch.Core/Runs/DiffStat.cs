namespace CodyBatch.Core.Runs;

/// <summary>The size of a patch: files touched, lines added and lines removed.</summary>
public sealed record DiffStat(int Files, int Additions, int Deletions)
{
    /// <summary>Counts a git unified diff: one file per <c>diff --git</c> header, added and removed lines inside hunks.</summary>
    public static DiffStat Of(string patch)
    {
        int files = 0, additions = 0, deletions = 0;
        var inHunk = false;
        foreach (var line in patch.Split('\n'))
        {
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                files++;
                inHunk = false;
            }
            else if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                inHunk = true;
            }
            else if (inHunk && line.StartsWith('+'))
            {
                additions++;
            }
            else if (inHunk && line.StartsWith('-'))
            {
                deletions++;
            }
        }

        return new DiffStat(files, additions, deletions);
    }
}
