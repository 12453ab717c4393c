using System.Text;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// A compact first look at the repository — the top of its file tree, its languages, the head of
/// its README — so Claude does not spend turns finding its feet. It reaches Claude as a tool result,
/// like every other piece of repository content.
/// </summary>
internal static class RepositoryOverview
{
    private const int MaxTreeEntries = 150;
    private const int ReadmeLines = 60;

    public static string Build(string repository, string workspace, IReadOnlyList<string> files)
    {
        var text = new StringBuilder();
        text.Append($"Overview of {repository} at /repo: {files.Count:N0} files.\n\n");

        var languages = files
            .Select(f => Path.GetExtension(f).ToLowerInvariant())
            .Where(e => e.Length > 1)
            .GroupBy(e => e)
            .OrderByDescending(g => g.Count())
            .Take(10)
            .Select(g => $"{g.Key} ({g.Count()})");
        text.Append($"File types: {string.Join(", ", languages)}\n\n");

        // Directories first, shallow before deep, so the shape of the project shows even when cut.
        var entries = files
            .SelectMany(f => Ancestors(f).Append(f))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(e => e.Count(c => c == '/'))
            .ThenBy(e => e, StringComparer.Ordinal)
            .ToList();
        var shown = entries.Take(MaxTreeEntries).Order(StringComparer.Ordinal).ToList();
        text.Append("Files and directories (the shallowest first):\n");
        foreach (var entry in shown)
        {
            text.Append("/repo/").Append(entry).Append(files.Contains(entry) ? "" : "/").Append('\n');
        }

        if (entries.Count > shown.Count)
        {
            text.Append($"[{entries.Count - shown.Count} more entries; view a directory or use search_code to see them.]\n");
        }

        var readme = files.Where(f => !f.Contains('/', StringComparison.Ordinal) && Path.GetFileName(f).StartsWith("readme", StringComparison.OrdinalIgnoreCase)).Order().FirstOrDefault();
        if (readme is not null && new FileInfo(Path.Combine(workspace, readme)) is { Exists: true, Length: < 1_000_000 } info)
        {
            var lines = File.ReadLines(info.FullName).Take(ReadmeLines + 1).ToList();
            text.Append($"\nThe first lines of /repo/{readme}:\n");
            foreach (var line in lines.Take(ReadmeLines))
            {
                text.Append(line).Append('\n');
            }

            if (lines.Count > ReadmeLines)
            {
                text.Append($"[… view /repo/{readme} for the rest.]\n");
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }
}
