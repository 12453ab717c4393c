namespace CodyBatch.Claude.Tests;

/// <summary>Calls of Anthropic's text editor tool as Claude makes them: a command, a path and the command's other fields.</summary>
internal static class TextEditorCalls
{
    public static string Call(this TextEditorTool editor, string command, string path, JsonObject? more = null)
    {
        var input = new JsonObject { ["command"] = command, ["path"] = path };
        foreach (var (key, value) in more ?? [])
        {
            input[key] = value?.DeepClone();
        }

        return editor.Execute(input);
    }
}
