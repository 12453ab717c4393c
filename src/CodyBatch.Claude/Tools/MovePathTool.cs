using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>move_path { from, to }</c>: renames or moves a file or directory, making the folders the
/// new place needs. It never overwrites: an existing target is refused.
/// </summary>
internal sealed class MovePathTool(RepositoryPaths paths)
{
    public const string Name = "move_path";

    public static JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["description"] = "Rename or move a file or directory; missing folders of the target are created; an existing target is never overwritten. "
            + "The patch records a moved file as a rename.",
        ["input_schema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["from"] = new JsonObject { ["type"] = "string", ["description"] = "The file or directory under /repo to move." },
                ["to"] = new JsonObject { ["type"] = "string", ["description"] = "Its new path under /repo (the full new path, not a folder to move into)." },
            },
            ["required"] = new JsonArray("from", "to"),
        },
    };

    public string Execute(JsonObject input)
    {
        var from = paths.Resolve(ToolInput.RequiredString(input, "from", Name));
        var to = paths.Resolve(ToolInput.RequiredString(input, "to", Name));
        var (shownFrom, shownTo) = (paths.Display(from), paths.Display(to));
        if (shownFrom == RepositoryPaths.Root || shownTo == RepositoryPaths.Root)
        {
            throw new ToolException("The repository's root cannot be moved or replaced; move what is in it instead.");
        }

        var isLink = new FileInfo(from).LinkTarget is not null;
        var isDirectory = !isLink && Directory.Exists(from);
        if (!isLink && !isDirectory && !File.Exists(from))
        {
            throw new ToolException($"{shownFrom} does not exist; nothing was moved.");
        }

        if (File.Exists(to) || Directory.Exists(to) || new FileInfo(to).LinkTarget is not null)
        {
            throw new ToolException($"{shownTo} already exists; nothing was moved. Delete it first with delete_path if it should be replaced.");
        }

        if (isDirectory && to.StartsWith(from + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ToolException($"{shownFrom} cannot be moved into itself ({shownTo}).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        if (isDirectory)
        {
            Directory.Move(from, to);
            return $"Moved the directory {shownFrom} to {shownTo}.";
        }

        File.Move(from, to);
        return $"Moved {shownFrom} to {shownTo}.";
    }
}
