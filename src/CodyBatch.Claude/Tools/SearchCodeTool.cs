using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>search_code { pattern, path?, glob? }</c>: regular-expression search over the repository's
/// files as git lists them (so <c>.gitignore</c> is honoured), skipping binary and oversized files,
/// answering <c>path:line: text</c> lines, capped with a note.
/// </summary>
internal sealed class SearchCodeTool(RepositoryPaths paths, IWorkspaceFiles files, long maxFileBytes, int maxMatches, int maxResultChars)
{
    public const string Name = "search_code";
    private const int MaxLineChars = 300;

    public static JsonObject Definition() => ToolDefinition.Of(
        Name,
        "Search the repository's files for a regular expression (.NET syntax, case-sensitive unless the pattern says (?i)). "
            + "Honours .gitignore and skips binary files. Answers one line per match as path:line: text.",
        new JsonObject
        {
            ["pattern"] = ToolDefinition.Text("The regular expression, matched line by line."),
            ["path"] = ToolDefinition.Text("A directory or file under /repo to search in; the whole repository when absent."),
            ["glob"] = ToolDefinition.Text("Only files whose name (or, with a '/', path) matches, e.g. *.cs or src/**/*.ts."),
        }, "pattern");

    public async Task<string> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var pattern = ToolInput.RequiredString(input, "pattern", Name);
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"The pattern is not a valid regular expression: {e.Message}");
        }

        var scope = ToolInput.OptionalString(input, "path", Name) is { } path ? paths.Resolve(path) : null;
        if (scope is not null && paths.Stat(scope) is null)
        {
            throw new ToolException($"{paths.Display(scope)} does not exist.");
        }

        var scopePrefix = scope is null ? null : RepositoryPaths.Lexical(scope);
        var globText = ToolInput.OptionalString(input, "glob", Name) is { Length: > 0 } g ? g : null;
        var glob = globText is null ? null : Globs.Parse(globText);
        var matches = new StringBuilder();
        var count = 0;
        var truncated = false;
        foreach (var relative in await files.ListFilesAsync(cancellationToken))
        {
            if (scopePrefix is { Length: > 0 } && relative != scopePrefix && !relative.StartsWith(scopePrefix + "/", StringComparison.Ordinal))
            {
                continue;
            }

            if (glob is not null && !glob.IsMatch(relative))
            {
                continue;
            }

            if (ReadListed(paths, relative, maxFileBytes) is not { } bytes || TextFiles.IsBinary(bytes))
            {
                continue;
            }

            var lineNumber = 0;
            foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                lineNumber++;
                bool hit;
                try
                {
                    hit = regex.IsMatch(line);
                }
                catch (RegexMatchTimeoutException)
                {
                    throw new ToolException("The pattern took too long to match; make it simpler.");
                }

                if (!hit)
                {
                    continue;
                }

                var text = line.TrimEnd('\r');
                var entry = $"{paths.Display(relative)}:{lineNumber}: {(text.Length > MaxLineChars ? text[..MaxLineChars] + "…" : text)}\n";
                if (count >= maxMatches || matches.Length + entry.Length > maxResultChars)
                {
                    truncated = true;
                    break;
                }

                matches.Append(entry);
                count++;
            }

            if (truncated)
            {
                break;
            }
        }

        var where = scope is null ? RepositoryPaths.Root : paths.Display(scope);
        if (count == 0)
        {
            return $"No matches for {pattern} in {where}{(globText is null ? "" : $" (files matching {globText})")}.";
        }

        if (truncated)
        {
            matches.Append($"[Only the first {count} matches are shown; narrow the pattern, path or glob to see the rest.]\n");
        }

        return matches.ToString();
    }

    /// <summary>
    /// A listed file's content: null for links (never followed here), special files, files over the
    /// limit (counted as read) and anything the confined walk refuses.
    /// </summary>
    internal static byte[]? ReadListed(RepositoryPaths paths, string relative, long maxBytes)
    {
        try
        {
            return paths.Files.Stat(relative, followLast: false)?.Kind == ConfinedEntryKind.File ? paths.Files.ReadFile(relative, maxBytes) : null;
        }
        catch (ConfinedPathException)
        {
            return null;
        }
    }
}
