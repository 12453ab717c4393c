namespace CodyBatch.Core.Workspaces;

/// <summary>One file changed in a workspace against its baseline.</summary>
/// <param name="Path">Relative path with '/' separators.</param>
/// <param name="Deleted">The file is gone.</param>
/// <param name="Mode">Its git mode when not deleted: <c>100644</c>, <c>100755</c> or <c>120000</c> (symbolic link).</param>
/// <param name="IsBinary">Its content is not text.</param>
public sealed record WorkspaceChange(string Path, bool Deleted, string? Mode, bool IsBinary);
