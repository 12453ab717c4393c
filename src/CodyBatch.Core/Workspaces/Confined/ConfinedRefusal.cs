namespace CodyBatch.Core.Workspaces.Confined;

/// <summary>Why a <see cref="ConfinedDirectory"/> refused a path.</summary>
public enum ConfinedRefusal
{
    /// <summary>Nothing is there (or a folder on the way is missing).</summary>
    NotFound,

    /// <summary>The path, or a link on its way, leads outside the root.</summary>
    Outside,

    /// <summary>The path passes through a symbolic link and the policy refuses links.</summary>
    Link,

    /// <summary>Too many links on the way (a loop, most likely).</summary>
    TooManyLinks,

    /// <summary>A device, FIFO or socket.</summary>
    Special,

    /// <summary>A file was needed and a directory is there.</summary>
    Directory,

    /// <summary>A directory was needed on the way and something else is there.</summary>
    NotDirectory,

    /// <summary>The target of a create or move already exists.</summary>
    Exists,

    /// <summary>The root itself (which cannot be deleted, moved or replaced).</summary>
    Root,

    /// <summary>The entry changed between two steps of one operation; nothing was done.</summary>
    Changed,

    /// <summary>A directory cannot be moved into itself.</summary>
    IntoItself,
}
