using Microsoft.Win32.SafeHandles;

namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>
/// Where a walk beneath the root ended: an open handle on the directory that holds the last name
/// (every directory on the way opened beneath the one before, with <c>O_NOFOLLOW</c>), and that name
/// (empty when the path names the directory itself). What happens to the name is then done relative
/// to the handle, so nothing swapped in on the way afterwards can redirect it.
/// </summary>
internal sealed class ConfinedWalk : IDisposable
{
    private const int MaxLinks = 40;
    private readonly List<SafeFileHandle> _opened;

    private ConfinedWalk(List<SafeFileHandle> opened, string name, (uint Type, uint Mode, long Size, DateTime Modified)? stat)
    {
        _opened = opened;
        Name = name;
        Stat = stat;
    }

    /// <summary>The directory that holds <see cref="Name"/> (the root's handle when nothing was opened).</summary>
    public SafeFileHandle Directory => _opened[^1];

    /// <summary>The last name; empty when the path is the directory itself.</summary>
    public string Name { get; }

    /// <summary>What the last name was when the walk looked (links not followed), when it looked; null when absent or not looked at.</summary>
    public (uint Type, uint Mode, long Size, DateTime Modified)? Stat { get; }

    /// <summary>True when the walk looked at the last name and found nothing there.</summary>
    public bool Missing { get; private init; }

    public void Dispose()
    {
        foreach (var handle in _opened)
        {
            handle.Dispose();
        }
    }

    /// <summary>Walks <paramref name="relative"/> ('/'-separated, may hold <c>.</c> and <c>..</c>) beneath <paramref name="root"/>.</summary>
    public static ConfinedWalk Walk(ConfinedDirectory root, string relative, bool followLast, bool createDirectories)
    {
        var rootHandle = LibC.Open(root.Path, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (rootHandle.IsInvalid)
        {
            var errno = LibC.Errno;
            rootHandle.Dispose();
            throw new DirectoryNotFoundException($"{root.Path} cannot be opened (errno {errno}).");
        }

        var opened = new List<SafeFileHandle> { rootHandle };
        var names = new List<string>();
        var pending = new Stack<string>(Parts(relative).Reverse());
        var links = 0;
        (string Link, string Target)? firstLink = null;
        try
        {
            while (pending.Count > 0)
            {
                var part = pending.Pop();
                if (part == "..")
                {
                    if (names.Count == 0)
                    {
                        throw Outside(root, relative, firstLink);
                    }

                    opened[^1].Dispose();
                    opened.RemoveAt(opened.Count - 1);
                    names.RemoveAt(names.Count - 1);
                    continue;
                }

                var isLast = pending.All(p => p == ".");
                var current = opened[^1];
                if (isLast && !followLast)
                {
                    return new ConfinedWalk(opened, part, null);
                }

                var stat = LibC.Stat(current, part);
                if (stat is null)
                {
                    if (LibC.Errno != LibC.ENOENT)
                    {
                        throw new IOException($"{root.Display(relative)} cannot be looked up (errno {LibC.Errno}).");
                    }

                    if (isLast)
                    {
                        return new ConfinedWalk(opened, part, null) { Missing = true };
                    }

                    if (!createDirectories)
                    {
                        throw new ConfinedPathException(ConfinedRefusal.NotFound, $"{root.Display(relative)} does not exist ({root.Display(Join(names, part))} is missing).");
                    }

                    if (LibC.MkdirAt(current, part, 0x1FF) != 0 && LibC.Errno != LibC.EEXIST)
                    {
                        throw new IOException($"{root.Display(Join(names, part))} cannot be created (errno {LibC.Errno}).");
                    }

                    pending.Push(part);
                    continue;
                }

                if (stat.Value.Type == LibC.S_IFLNK)
                {
                    var linkPath = Join(names, part);
                    var target = LibC.ReadLink(current, part) ?? throw Changed(root, relative);
                    if (root.Links == LinkPolicy.Refuse)
                    {
                        throw new ConfinedPathException(
                            ConfinedRefusal.Link,
                            $"{root.Display(relative)} goes through the symbolic link {root.Display(linkPath)} (to {target}); links are not followed here.",
                            linkPath);
                    }

                    if (++links > MaxLinks)
                    {
                        throw new ConfinedPathException(ConfinedRefusal.TooManyLinks, $"{root.Display(relative)} passes more than {MaxLinks} symbolic links; it was not followed.", linkPath);
                    }

                    // The refusal names the first link the path went through: the one in the path as written.
                    firstLink ??= (linkPath, target);
                    if (target.StartsWith('/'))
                    {
                        throw Outside(root, relative, firstLink);
                    }

                    foreach (var step in Parts(target).Reverse())
                    {
                        pending.Push(step);
                    }

                    continue;
                }

                if (isLast)
                {
                    return new ConfinedWalk(opened, part, stat);
                }

                if (stat.Value.Type != LibC.S_IFDIR)
                {
                    throw new ConfinedPathException(ConfinedRefusal.NotDirectory, $"{root.Display(relative)} does not exist: {root.Display(Join(names, part))} is not a directory.");
                }

                var next = LibC.OpenAt(current, part, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
                if (next.IsInvalid)
                {
                    next.Dispose();
                    throw Changed(root, relative);
                }

                opened.Add(next);
                names.Add(part);
            }

            return new ConfinedWalk(opened, "", null);
        }
        catch
        {
            foreach (var handle in opened)
            {
                handle.Dispose();
            }

            throw;
        }
    }

    private static IEnumerable<string> Parts(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    private static string Join(List<string> names, string last) => names.Count == 0 ? last : $"{string.Join('/', names)}/{last}";

    private static ConfinedPathException Outside(ConfinedDirectory root, string relative, (string Link, string Target)? link) => link is { } l
        ? new ConfinedPathException(
            ConfinedRefusal.Outside,
            $"{root.Display(relative)} leads outside the repository through the symbolic link {root.Display(l.Link)} (to {l.Target}); it was not followed.",
            l.Link)
        : new ConfinedPathException(ConfinedRefusal.Outside, $"{root.Display(relative)} is outside the repository.");

    private static ConfinedPathException Changed(ConfinedDirectory root, string relative) =>
        new(ConfinedRefusal.Changed, $"{root.Display(relative)} changed while it was being opened; nothing was done.");
}
