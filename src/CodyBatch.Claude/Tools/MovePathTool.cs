using System.Text.Json.Nodes;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>move_path { from, to }</c>: renames or moves a file or directory, making the folders the
/// new place needs. It never overwrites: an existing target is refused.
/// </summary>
internal sealed class MovePathTool(RepositoryPaths paths)
{
    public const string Name = "move_path";

    public static JsonObject Definition() => ToolDefinition.Of(
        Name,
        "Rename or move a file or directory; missing folders of the target are created; an existing target is never overwritten. "
            + "The patch records a moved file as a rename.",
        new JsonObject
        {
            ["from"] = ToolDefinition.Text("The file or directory under /repo to move."),
            ["to"] = ToolDefinition.Text("Its new path under /repo (the full new path, not a folder to move into)."),
        }, "from", "to");

    public string Execute(JsonObject input)
    {
        var from = paths.Resolve(ToolInput.RequiredString(input, "from", Name));
        var to = paths.Resolve(ToolInput.RequiredString(input, "to", Name));
        var (shownFrom, shownTo) = (paths.Display(from), paths.Display(to));
        if (RepositoryPaths.IsRoot(from) || RepositoryPaths.IsRoot(to))
        {
            throw new ToolException("The repository's root cannot be moved or replaced; move what is in it instead.");
        }

        // Neither end's last name is followed: a link moves as a link. The move itself is one renameat2 between
        // the two directory handles the walks opened, and never replaces what is there.
        var entry = paths.Stat(from, followLast: false) ?? throw new ToolException($"{shownFrom} does not exist; nothing was moved.");
        if (paths.Stat(to, followLast: false) is not null)
        {
            throw new ToolException($"{shownTo} already exists; nothing was moved. Delete it first with delete_path if it should be replaced.");
        }

        if (entry.Kind == ConfinedEntryKind.Directory && RepositoryPaths.Lexical(to).StartsWith(RepositoryPaths.Lexical(from) + "/", StringComparison.Ordinal))
        {
            throw new ToolException($"{shownFrom} cannot be moved into itself ({shownTo}).");
        }

        try
        {
            paths.Files.Move(from, to);
        }
        catch (ConfinedPathException e) when (e.Refusal == ConfinedRefusal.Exists)
        {
            throw new ToolException($"{shownTo} already exists; nothing was moved. Delete it first with delete_path if it should be replaced.");
        }
        catch (ConfinedPathException e)
        {
            throw new ToolException(e.Message);
        }

        return entry.Kind == ConfinedEntryKind.Directory ? $"Moved the directory {shownFrom} to {shownTo}." : $"Moved {shownFrom} to {shownTo}.";
    }
}
