namespace CodyBatch.Claude.Tools;

/// <summary>
/// Maps the paths Claude uses (<c>/repo/…</c>, or relative to it) onto the workspace, and refuses
/// every path that would end outside it: <c>..</c>, other absolute paths, and symbolic links whose
/// target leaves the workspace.
/// </summary>
internal sealed class RepositoryPaths(string workspace)
{
    /// <summary>How the repository's root looks to Claude.</summary>
    public const string Root = "/repo";

    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));

    /// <summary>The workspace path for <paramref name="path"/>; throws <see cref="ToolException"/> when it leaves the repository.</summary>
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
        else if (text.StartsWith('/') || text.Contains(':', StringComparison.Ordinal))
        {
            throw new ToolException($"{path} is outside the repository; every path must be under /repo.");
        }
        else
        {
            relative = text;
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(_root, relative)));
        if (!IsInside(full))
        {
            throw new ToolException($"{path} is outside the repository; every path must be under /repo.");
        }

        if (!IsInside(RealPath(full)))
        {
            throw new ToolException($"{path} leads outside the repository through a symbolic link, so it cannot be used.");
        }

        return full;
    }

    /// <summary>How <paramref name="full"/> looks to Claude.</summary>
    public string Display(string full) =>
        full == _root ? Root : $"{Root}/{Path.GetRelativePath(_root, full).Replace('\\', '/')}";

    private bool IsInside(string full) =>
        full == _root || full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // Follows every symbolic link along the path, so a link anywhere on the way is judged by where it leads.
    private string RealPath(string full)
    {
        var current = _root;
        var segments = Path.GetRelativePath(_root, full).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["."])
        {
            return _root;
        }

        foreach (var segment in segments)
        {
            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target is null ? next : Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
                if (!IsInside(next))
                {
                    return next;
                }
            }

            current = next;
        }

        return current;
    }
}
