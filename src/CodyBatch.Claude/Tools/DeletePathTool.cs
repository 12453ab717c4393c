using System.Text.Json.Nodes;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>delete_path { path }</c>: deletes a file, a symbolic link (not what it points to) or a
/// directory with everything in it. The repository's root cannot be deleted.
/// </summary>
internal sealed class DeletePathTool(RepositoryPaths paths)
{
    public const string Name = "delete_path";

    public static JsonObject Definition() => ToolDefinition.Of(
        Name,
        "Delete a file, or a directory with everything in it. The patch records the deletion.",
        new JsonObject
        {
            ["path"] = ToolDefinition.Text("The file or directory under /repo to delete."),
        }, "path");

    public string Execute(JsonObject input)
    {
        var path = paths.Resolve(ToolInput.RequiredString(input, "path", Name));
        var shown = paths.Display(path);
        if (RepositoryPaths.IsRoot(path))
        {
            throw new ToolException("The repository's root cannot be deleted; delete the files or directories in it one by one.");
        }

        // The last name is not followed: a link is deleted, never what it points to; links met inside a directory are removed, never entered.
        var entry = paths.Stat(path, followLast: false) ?? throw new ToolException($"{shown} does not exist; nothing was deleted.");
        var count = RepositoryPaths.Confined(() => paths.Files.Delete(path));
        return entry.Kind == ConfinedEntryKind.Directory
            ? $"Deleted the directory {shown} and the {count} file{(count == 1 ? "" : "s")} in it."
            : $"Deleted the file {shown}.";
    }
}
