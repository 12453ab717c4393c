namespace CodyBatch.Core.Agent;

/// <summary>The files of a workspace as git sees them: tracked and new files, without what <c>.gitignore</c> excludes.</summary>
public interface IWorkspaceFiles
{
    /// <summary>Relative paths with '/' separators, sorted, of files that exist now.</summary>
    Task<IReadOnlyList<string>> ListFilesAsync(CancellationToken cancellationToken);
}
