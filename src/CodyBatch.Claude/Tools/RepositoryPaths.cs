using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// Maps the paths Claude uses (<c>/repo/…</c>, or relative to it) onto the workspace and gives the
/// tools their only way to its files: a <see cref="ConfinedDirectory"/> that walks every path from a
/// handle on the workspace, one component at a time, never above it. A symbolic link is followed only
/// when its target is relative and stays inside (a repository's <c>guide.md -> docs/guide.md</c>);
/// one that points elsewhere is refused with a sentence that names it.
/// </summary>
internal sealed class RepositoryPaths(string workspace)
{
    /// <summary>How the repository's root looks to Claude.</summary>
    public const string Root = "/repo";

    /// <summary>The workspace's files, confined to it.</summary>
    public ConfinedDirectory Files { get; } = new(workspace, LinkPolicy.FollowInside, Root);

    /// <summary>
    /// <paramref name="path"/> relative to the workspace ('/'-separated, empty for the root; <c>..</c> is kept
    /// and resolved on the walk, never above the root); throws <see cref="ToolException"/> for paths outside <c>/repo</c>.
    /// </summary>
    public string Resolve(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ToolException("path is required: a path under /repo, such as /repo/src/app.cs.");
        }

        var text = path.Trim().Replace('\\', '/');
        string relative;
        if (text is Root or Root + "/")
        {
            relative = "";
        }
        else if (text.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            relative = text[(Root.Length + 1)..];
        }
        else if (text.StartsWith('/') || text.Contains(':', StringComparison.Ordinal) || text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ToolException($"{path} is outside the repository; every path must be under /repo.");
        }
        else
        {
            relative = text;
        }

        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        var depth = 0;
        foreach (var part in parts)
        {
            depth += part == ".." ? -1 : 1;
            if (depth < 0)
            {
                throw new ToolException($"{path} is outside the repository; every path must be under /repo.");
            }
        }

        return string.Join('/', parts);
    }

    /// <summary>How <paramref name="relative"/> looks to Claude.</summary>
    public string Display(string relative) => Files.Display(relative);

    /// <summary>True when <paramref name="relative"/> names the root itself, as written.</summary>
    public static bool IsRoot(string relative) => Lexical(relative).Length == 0;

    /// <summary><paramref name="relative"/> with <c>..</c> taken as written (for comparing paths, never for opening them).</summary>
    public static string Lexical(string relative)
    {
        var stack = new List<string>();
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }
            else if (part != ".")
            {
                stack.Add(part);
            }
        }

        return string.Join('/', stack);
    }

    /// <summary>Runs a file operation, turning a refusal of the confined walk into a result Claude can read.</summary>
    public static T Confined<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (ConfinedPathException e)
        {
            throw new ToolException(e.Message);
        }
    }

    /// <summary>What is at <paramref name="relative"/>, following links only inside; null when nothing is.</summary>
    public ConfinedEntry? Stat(string relative, bool followLast = true) => Confined(() => Files.Stat(relative, followLast));
}
