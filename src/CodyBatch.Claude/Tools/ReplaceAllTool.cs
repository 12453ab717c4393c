using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>replace_all { old_str, new_str, path | glob, regex? }</c>: replaces every match of a string
/// (or a regular expression) in one file or in every file a glob matches, in one call, and says
/// how many matches changed in which files. Binary and oversized files are skipped; a change
/// that would make a file too large is refused before anything is written.
/// </summary>
internal sealed class ReplaceAllTool(RepositoryPaths paths, IWorkspaceFiles files, long maxFileBytes, int maxFiles)
{
    public const string Name = "replace_all";

    public static JsonObject Definition() => ToolDefinition.Of(
        Name,
        "Replace every match of old_str with new_str in one file (path) or in every file a glob matches (glob), in one call; "
            + "answers how many matches changed in each file. With regex true, old_str is a .NET regular expression (multiline: ^ and $ match at "
            + "line ends) and new_str may use $1, ${name}; otherwise both are literal text. Use it to rename an identifier everywhere at once.",
        new JsonObject
        {
            ["old_str"] = ToolDefinition.Text("The text (or regular expression) to replace."),
            ["new_str"] = ToolDefinition.Text("The replacement; may be empty."),
            ["path"] = ToolDefinition.Text("One file under /repo. Give path or glob, not both."),
            ["glob"] = ToolDefinition.Text("Every file matching this glob, e.g. src/**/*.cs (honours .gitignore)."),
            ["regex"] = ToolDefinition.Flag("Treat old_str as a regular expression; false when absent."),
        }, "old_str", "new_str");

    public async Task<string> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var oldText = ToolInput.RequiredString(input, "old_str", Name);
        var newText = ToolInput.RequiredString(input, "new_str", Name, allowEmpty: true);
        var isRegex = input["regex"] is not null && ToolInput.RequiredBoolean(input, "regex", Name);
        var path = ToolInput.OptionalString(input, "path", Name);
        var globText = ToolInput.OptionalString(input, "glob", Name);
        if ((path is null) == (globText is null))
        {
            throw new ToolException($"{Name} needs either \"path\" (one file) or \"glob\" (many files), not {(path is null ? "neither" : "both")}.");
        }

        Regex regex;
        try
        {
            regex = new Regex(isRegex ? oldText : Regex.Escape(oldText), RegexOptions.CultureInvariant | RegexOptions.Multiline, TimeSpan.FromSeconds(2));
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"old_str is not a valid regular expression: {e.Message}");
        }

        List<string> targets;
        if (path is not null)
        {
            var relative = paths.Resolve(path);
            var entry = paths.Stat(relative);
            if (entry?.Kind == ConfinedEntryKind.Directory)
            {
                var shown = paths.Display(relative);
                throw new ToolException($"{shown} is a directory; give a file as path, or a glob such as {(shown == RepositoryPaths.Root ? "" : shown[(RepositoryPaths.Root.Length + 1)..] + "/")}**/*.");
            }

            if (entry is null)
            {
                throw new ToolException($"{paths.Display(relative)} does not exist.");
            }

            if (entry.Kind == ConfinedEntryKind.Special)
            {
                throw new ToolException($"{paths.Display(relative)} is a special file (a device, FIFO or socket); it is not read or written.");
            }

            targets = [relative];
        }
        else
        {
            var glob = Globs.Parse(globText!);
            targets = [.. (await files.ListFilesAsync(cancellationToken)).Where(glob.IsMatch)];
            if (targets.Count == 0)
            {
                throw new ToolException($"No files match {glob.Text}; nothing was changed.");
            }
        }

        // Everything is worked out before anything is written, so a refusal leaves every file as it was.
        var changes = new List<(string Path, string Text, int Count)>();
        var skipped = new List<string>();
        foreach (var target in targets)
        {
            // One file by path follows a link that stays inside (as the editor does); a glob's files are read as listed, links skipped.
            var bytes = path is not null
                ? RepositoryPaths.Confined(() => paths.Files.ReadFile(target, maxFileBytes))
                : SearchCodeTool.ReadListed(paths, target, maxFileBytes);
            if (bytes is null || TextFiles.IsBinary(bytes))
            {
                skipped.Add(paths.Display(target));
                continue;
            }

            var text = Encoding.UTF8.GetString(bytes);
            var count = 0;
            string updated;
            try
            {
                updated = regex.Replace(text, match =>
                {
                    count++;
                    return isRegex ? match.Result(newText) : newText;
                });
            }
            catch (RegexMatchTimeoutException)
            {
                throw new ToolException("The pattern took too long to match; make it simpler. Nothing was changed.");
            }

            if (count == 0 || updated == text)
            {
                continue;
            }

            if (Encoding.UTF8.GetByteCount(updated) > maxFileBytes)
            {
                throw new ToolException($"Nothing was changed: {paths.Display(target)} would grow over the largest file this run may write ({maxFileBytes:N0} bytes).");
            }

            changes.Add((target, updated, count));
            if (changes.Count > maxFiles)
            {
                throw new ToolException($"Nothing was changed: the replacement would change more than {maxFiles} files. Narrow the glob and replace in parts.");
            }
        }

        if (changes.Count == 0)
        {
            var where = path is not null ? paths.Display(targets[0]) : $"the {targets.Count} file{(targets.Count == 1 ? "" : "s")} matching {globText}";
            throw new ToolException($"No matches of old_str in {where}{(skipped.Count > 0 ? $" (skipped as binary or too large: {string.Join(", ", skipped)})" : "")}; nothing was changed.");
        }

        foreach (var change in changes)
        {
            RepositoryPaths.Confined(() =>
            {
                paths.Files.WriteFile(change.Path, new UTF8Encoding(false).GetBytes(change.Text));
                return true;
            });
        }

        var total = changes.Sum(c => c.Count);
        var report = new StringBuilder($"Replaced {total} match{(total == 1 ? "" : "es")} in {changes.Count} file{(changes.Count == 1 ? "" : "s")}:\n");
        foreach (var change in changes)
        {
            report.Append($"{paths.Display(change.Path)}: {change.Count}\n");
        }

        if (skipped.Count > 0)
        {
            report.Append($"Skipped as binary or too large: {string.Join(", ", skipped)}.\n");
        }

        return report.ToString();
    }
}
