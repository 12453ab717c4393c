using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// Anthropic's text editor tool (<c>text_editor_20250728</c>, named <c>str_replace_based_edit_tool</c>)
/// on the workspace: <c>view</c>, <c>str_replace</c>, <c>create</c> and <c>insert</c>, with its documented semantics.
/// </summary>
internal sealed class TextEditorTool(RepositoryPaths paths, long maxFileBytes, int maxResultChars)
{
    public const string Name = "str_replace_based_edit_tool";
    public const string Type = "text_editor_20250728";

    /// <summary><c>read_file { path, view_range? }</c>: this tool's <c>view</c> alone, for runs that may only read.</summary>
    public const string ReadName = "read_file";
    private const int SnippetContext = 4;

    /// <summary>The definition of <see cref="ReadName"/>: a file with line numbers, or a directory's listing; it cannot change anything.</summary>
    public static JsonObject ReadDefinition() => ToolDefinition.Of(
        ReadName,
        "Read a file under /repo with line numbers, or list a directory two levels deep. view_range [start, end] reads only those lines (-1 as end: to the end of the file).",
        new JsonObject
        {
            ["path"] = ToolDefinition.Text("The file or directory, e.g. /repo/src/app.py."),
            ["view_range"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "integer" }, ["description"] = "Optional [start, end] line numbers." },
        }, "path");

    /// <summary>Carries out a <see cref="ReadName"/> call: <c>view</c>, whatever else the input holds.</summary>
    public string Read(JsonObject input) => View(new JsonObject
    {
        ["path"] = ToolInput.RequiredString(input, "path", ReadName),
        ["view_range"] = input["view_range"]?.DeepClone(),
    });

    public string Execute(JsonObject input)
    {
        var command = ToolInput.RequiredString(input, "command", Name);
        return command switch
        {
            "view" => View(input),
            "str_replace" => Replace(input),
            "create" => Create(input),
            "insert" => Insert(input),
            "undo_edit" => throw new ToolException("undo_edit is not available in this editor version; make the reverse edit with str_replace."),
            _ => throw new ToolException($"Unknown command \"{command}\"; use view, str_replace, create or insert."),
        };
    }

    private string View(JsonObject input)
    {
        var path = paths.Resolve(ToolInput.RequiredString(input, "path", Name));
        if (paths.Stat(path)?.Kind == ConfinedEntryKind.Directory)
        {
            return ViewDirectory(path);
        }

        var lines = ReadLines(path);
        var (start, end) = (1, lines.Length);
        if (input["view_range"] is JsonArray range)
        {
            if (range.Count != 2 || range[0] is not JsonValue first || range[1] is not JsonValue last
                || !first.TryGetValue<int>(out start) || !last.TryGetValue<int>(out end))
            {
                throw new ToolException("view_range must be two line numbers, [start, end]; use -1 as end for the rest of the file.");
            }

            end = end == -1 ? lines.Length : end;
            if (start < 1 || start > Math.Max(lines.Length, 1) || end < start || end > lines.Length)
            {
                throw new ToolException($"view_range [{range[0]}, {range[1]}] is not within the file's {lines.Length} lines.");
            }
        }

        var text = new StringBuilder();
        for (var i = start; i <= end && i <= lines.Length; i++)
        {
            var line = $"{i,6}\t{lines[i - 1]}\n";
            if (text.Length + line.Length > maxResultChars)
            {
                text.Append($"[The output stops at line {i - 1} of {lines.Length}; view the rest with view_range, e.g. [{i}, {Math.Min(lines.Length, i + 400)}].]\n");
                break;
            }

            text.Append(line);
        }

        return text.Length == 0 ? $"{paths.Display(path)} is empty." : text.ToString();
    }

    private string ViewDirectory(string path)
    {
        var entries = new List<string>();
        void Walk(string directory, int depth)
        {
            foreach (var entry in RepositoryPaths.Confined(() => paths.Files.List(directory)))
            {
                if (entry.Name.StartsWith('.') || entry.Name == "node_modules")
                {
                    continue;
                }

                // Links are listed as what they are and never entered.
                var child = directory.Length == 0 ? entry.Name : $"{directory}/{entry.Name}";
                var isDirectory = entry.Kind == ConfinedEntryKind.Directory;
                entries.Add(paths.Display(child) + (isDirectory ? "/" : ""));
                if (isDirectory && depth < 2)
                {
                    Walk(child, depth + 1);
                }
            }
        }

        Walk(path, 1);
        var header = $"Files and directories up to 2 levels deep in {paths.Display(path)}, excluding hidden items and node_modules:\n";
        var text = new StringBuilder(header);
        foreach (var entry in entries)
        {
            if (text.Length + entry.Length + 1 > maxResultChars)
            {
                text.Append($"[{entries.Count - entries.IndexOf(entry)} more entries not shown; view a subdirectory to see them.]\n");
                break;
            }

            text.Append(entry).Append('\n');
        }

        return text.ToString();
    }

    private string Create(JsonObject input)
    {
        var path = paths.Resolve(ToolInput.RequiredString(input, "path", Name));
        var content = ToolInput.RequiredString(input, "file_text", Name, allowEmpty: true);
        if (RepositoryPaths.IsRoot(path))
        {
            throw new ToolException($"{paths.Display(path)} is a directory; create needs a file path.");
        }

        var existing = paths.Stat(path);
        if (existing?.Kind == ConfinedEntryKind.Directory)
        {
            throw new ToolException($"{paths.Display(path)} is a directory; create needs a file path.");
        }

        CheckSize(path, content);
        Write(path, content, createDirectories: true);
        return existing is not null ? $"File overwritten at {paths.Display(path)}." : $"File created at {paths.Display(path)}.";
    }

    private string Replace(JsonObject input)
    {
        var path = paths.Resolve(ToolInput.RequiredString(input, "path", Name));
        var oldText = ToolInput.RequiredString(input, "old_str", Name);
        var newText = ToolInput.OptionalString(input, "new_str", Name) ?? "";
        var text = ReadText(path);
        var first = text.IndexOf(oldText, StringComparison.Ordinal);
        if (first < 0)
        {
            throw new ToolException($"No replacement was performed: old_str did not appear verbatim in {paths.Display(path)}.");
        }

        var second = text.IndexOf(oldText, first + 1, StringComparison.Ordinal);
        if (second >= 0)
        {
            var lines = new List<int>();
            for (var at = first; at >= 0; at = text.IndexOf(oldText, at + 1, StringComparison.Ordinal))
            {
                lines.Add(LineOf(text, at));
            }

            throw new ToolException($"No replacement was performed: old_str occurs {lines.Count} times in {paths.Display(path)}, at lines {string.Join(", ", lines.Distinct())}. Include more surrounding text so it is unique.");
        }

        var updated = string.Concat(text.AsSpan(0, first), newText, text.AsSpan(first + oldText.Length));
        CheckSize(path, updated);
        Write(path, updated, createDirectories: false);
        var line = LineOf(updated, first);
        return $"The file {paths.Display(path)} has been edited. A snippet of the result:\n{Snippet(updated, line, line + newText.Count(c => c == '\n'))}";
    }

    private string Insert(JsonObject input)
    {
        var path = paths.Resolve(ToolInput.RequiredString(input, "path", Name));
        var after = ToolInput.RequiredInteger(input, "insert_line", Name);
        var insert = ToolInput.RequiredString(input, "insert_text", Name, allowEmpty: true);
        var text = ReadText(path);
        var lines = SplitLines(text);
        if (after < 0 || after > lines.Length)
        {
            throw new ToolException($"insert_line {after} is not within the file's {lines.Length} lines; use 0 to insert at the start.");
        }

        var offset = 0;
        for (var i = 0; i < after; i++)
        {
            offset = text.IndexOf('\n', offset) + 1;
            if (offset == 0)
            {
                // The last line has no line break: add one before the inserted text.
                text += "\n";
                offset = text.Length;
            }
        }

        var block = insert.EndsWith('\n') ? insert : insert + "\n";
        var updated = text.Insert(offset, block);
        CheckSize(path, updated);
        Write(path, updated, createDirectories: false);
        return $"The file {paths.Display(path)} has been edited. A snippet of the result:\n{Snippet(updated, (int)after + 1, (int)after + block.Count(c => c == '\n'))}";
    }

    private string ReadText(string path)
    {
        // Bounded by the bytes read, whatever the file's size claims; special files and links out are refused by the walk.
        var bytes = RepositoryPaths.Confined(() => paths.Files.ReadFile(path, maxFileBytes))
            ?? throw new ToolException($"{paths.Display(path)} is over the largest file this run may read ({maxFileBytes:N0} bytes).");
        if (TextFiles.IsBinary(bytes))
        {
            throw new ToolException($"{paths.Display(path)} is a binary file; it cannot be shown or edited as text.");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private void Write(string path, string content, bool createDirectories) =>
        RepositoryPaths.Confined(() =>
        {
            paths.Files.WriteFile(path, new UTF8Encoding(false).GetBytes(content), createDirectories: createDirectories);
            return true;
        });

    private string[] ReadLines(string path) => SplitLines(ReadText(path));

    private static string[] SplitLines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private void CheckSize(string path, string content)
    {
        var bytes = Encoding.UTF8.GetByteCount(content);
        if (bytes > maxFileBytes)
        {
            throw new ToolException($"Not written: {paths.Display(path)} would be {bytes:N0} bytes, over the largest file this run may write ({maxFileBytes:N0} bytes).");
        }
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static string Snippet(string text, int firstLine, int lastLine)
    {
        var lines = SplitLines(text);
        var from = Math.Max(1, firstLine - SnippetContext);
        var to = Math.Min(lines.Length, lastLine + SnippetContext);
        var snippet = new StringBuilder();
        for (var i = from; i <= to; i++)
        {
            snippet.Append($"{i,6}\t{lines[i - 1]}\n");
        }

        return snippet.ToString();
    }
}
