using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;

namespace CodyBatch.Claude.Tools;

/// <summary>
/// <c>find_files { pattern }</c>: the repository's files whose path matches a glob, as git lists
/// them (so <c>.gitignore</c> is honoured), sorted, capped with a note.
/// </summary>
internal sealed class FindFilesTool(RepositoryPaths paths, IWorkspaceFiles files, int maxResults)
{
    public const string Name = "find_files";

    public static JsonObject Definition() => ToolDefinition.Of(
        Name,
        "Find files by name or path with a glob: * and ? stay within a folder, ** crosses folders. "
            + "A pattern without '/' matches file names anywhere (e.g. *.csproj); with '/', paths from /repo (e.g. src/**/*Tests.cs). "
                + "Honours .gitignore. Answers one /repo path per line, sorted.",
        new JsonObject
        {
            ["pattern"] = ToolDefinition.Text("The glob, e.g. **/package.json, *.md or src/api/*.ts."),
        }, "pattern");

    public async Task<string> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var glob = Globs.Parse(ToolInput.RequiredString(input, "pattern", Name));
        var found = (await files.ListFilesAsync(cancellationToken)).Where(glob.IsMatch).ToList();
        if (found.Count == 0)
        {
            return $"No files match {glob.Text}.";
        }

        var text = new StringBuilder();
        foreach (var relative in found.Take(maxResults))
        {
            text.Append(paths.Display(relative)).Append('\n');
        }

        if (found.Count > maxResults)
        {
            text.Append($"[{found.Count:N0} files match; only the first {maxResults:N0} are shown. Narrow the pattern to see the rest.]\n");
        }

        return text.ToString();
    }
}
