namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>What a directory entry is, as <c>lstat</c> sees it (links are not followed).</summary>
public enum ConfinedEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    SymbolicLink,

    /// <summary>A device, FIFO or socket: never read or written.</summary>
    Special,
}
