namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>One entry of a confined tree, as <c>lstat</c> saw it.</summary>
/// <param name="Name">Its name in its directory.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Size">Its size as the file system reports it (reads are bounded by what they read, not by this).</param>
/// <param name="Mode">Its permission bits.</param>
/// <param name="ModifiedUtc">Its modification time.</param>
public sealed record ConfinedEntry(string Name, ConfinedEntryKind Kind, long Size, UnixFileMode Mode, DateTime ModifiedUtc);
