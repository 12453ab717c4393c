using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>read_file { path, view_range? }</c>: the text editor's <c>view</c> alone (a file with line numbers, or a
/// directory's listing), for runs that may only read. It cannot create or change anything.
/// </summary>
internal sealed class ReadFileTool(TextEditorTool editor)
{
    public const string Name = "read_file";

    public static JsonObject Definition() => ToolDefinition.Of(
        Name,
        "Read a file under /repo with line numbers, or list a directory two levels deep. "
            + "view_range [start, end] reads only those lines (-1 as end: to the end of the file).",
        new JsonObject
        {
            ["path"] = ToolDefinition.Text("The file or directory, e.g. /repo/src/app.py."),
            ["view_range"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "integer" },
                ["description"] = "Optional [start, end] line numbers.",
            },
        }, "path");

    public string Execute(JsonObject input)
    {
        var view = new JsonObject { ["command"] = "view", ["path"] = ToolInput.RequiredString(input, "path", Name) };
        if (input["view_range"] is { } range)
        {
            view["view_range"] = range.DeepClone();
        }

        return editor.Execute(view);
    }
}
