using System.Text;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Core.Checks;

/// <summary>
/// What check detection reads of a repository, through a confined walk: whether a file is there, its
/// text (bounded), a directory's file names; every refusal (a link out, a device, a FIFO) is kept as a
/// sentence for the plan, so detection ends at once and says why a file was not read.
/// </summary>
internal sealed class RepositoryFiles(ConfinedDirectory tree)
{
    /// <summary>Why files were not read, one sentence each.</summary>
    public List<string> Refusals { get; } = [];

    /// <summary>True when something (a link too) is at <paramref name="relative"/>.</summary>
    public bool Exists(string relative) => Attempt(() => tree.Stat(relative, followLast: false) is not null, false);

    /// <summary>True when <paramref name="relative"/> is a regular file (through links that stay inside).</summary>
    public bool IsFile(string relative) => Attempt(() => tree.Stat(relative)?.Kind == ConfinedEntryKind.File, false);

    /// <summary>The names of the regular files in <paramref name="directory"/>; none when it is missing or refused.</summary>
    public IReadOnlyList<string> Files(string directory) => Attempt(
        () => tree.Stat(directory)?.Kind == ConfinedEntryKind.Directory
            ? [.. tree.List(directory).Where(e => e.Kind == ConfinedEntryKind.File).Select(e => e.Name)]
            : (IReadOnlyList<string>)[],
        []);

    /// <summary>
    /// The text of <paramref name="relative"/>: null when it holds more than <paramref name="maxBytes"/> (counted as
    /// read) or was refused, with <paramref name="refusal"/> saying why.
    /// </summary>
    public string? Read(string relative, int maxBytes, out string? refusal)
    {
        try
        {
            refusal = null;
            return tree.ReadFile(relative, maxBytes) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
        }
        catch (ConfinedPathException e)
        {
            refusal = e.Message;
            Refusals.Add(e.Message);
            return null;
        }
    }

    /// <summary>True when <paramref name="relative"/> can be read and holds <paramref name="text"/>.</summary>
    public bool Contains(string relative, string text) => Read(relative, 1024 * 1024, out _)?.Contains(text, StringComparison.Ordinal) == true;

    private T Attempt<T>(Func<T> look, T otherwise)
    {
        try
        {
            return look();
        }
        catch (ConfinedPathException e)
        {
            Refusals.Add(e.Message);
            return otherwise;
        }
    }
}
