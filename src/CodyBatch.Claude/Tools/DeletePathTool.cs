using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>delete_path { path }</c>: deletes a file, a symbolic link (not what it points to) or a
/// directory with everything in it. The repository's root cannot be deleted.
/// </summary>
internal sealed class DeletePathTool(RepositoryPaths paths)
{
    public const string Name = "delete_path";

    public static JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["description"] = "Delete a file, or a directory with everything in it. The patch records the deletion.",
        ["input_schema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["path"] = new JsonObject { ["type"] = "string", ["description"] = "The file or directory under /repo to delete." },
            },
            ["required"] = new JsonArray("path"),
        },
    };

    public string Execute(JsonObject input)
    {
        var path = paths.Resolve(ToolInput.RequiredString(input, "path", Name));
        var shown = paths.Display(path);
        if (shown == RepositoryPaths.Root)
        {
            throw new ToolException("The repository's root cannot be deleted; delete the files or directories in it one by one.");
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
            return $"Deleted the file {shown}.";
        }

        if (Directory.Exists(path))
        {
            // Directory.Delete removes links it meets, never what they point to.
            var count = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Count();
            Directory.Delete(path, recursive: true);
            return $"Deleted the directory {shown} and the {count} file{(count == 1 ? "" : "s")} in it.";
        }

        throw new ToolException($"{shown} does not exist; nothing was deleted.");
    }
}
