namespace CodyBatch.Core.Environments;

/// <summary>
/// Whether Cody Batch's own tools wrote into the workspace since the shell last looked: what they write belongs to
/// Cody Batch's identity until it is handed to the sandbox's, which the shell's next command does only when noted.
/// </summary>
public sealed class WorkspaceWrites
{
    private int _noted = 1;

    /// <summary>Notes a write (call before or after any tool other than the shell changes the workspace).</summary>
    public void Note() => Interlocked.Exchange(ref _noted, 1);

    /// <summary>True once per run of writes: whether anything was noted since the last call (a new session starts noted).</summary>
    public bool Take() => Interlocked.Exchange(ref _noted, 0) == 1;
}
