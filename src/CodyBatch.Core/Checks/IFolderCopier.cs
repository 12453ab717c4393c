namespace CodyBatch.Core.Checks;

/// <summary>
/// Copies a folder's tree into another folder with links copied as links (never followed) and modes
/// and times kept, as the checks' copy of a workspace needs. An adapter does the copying.
/// </summary>
public interface IFolderCopier
{
    /// <summary>Copies everything in <paramref name="source"/> into the existing, empty <paramref name="target"/>.</summary>
    Task CopyAsync(string source, string target, CancellationToken cancellationToken);
}
