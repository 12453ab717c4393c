using System.Text.Json.Nodes;
using CodyBatch.Claude.Tools;
using CodyBatch.Core.Agent;

namespace CodyBatch.Claude.Agent;

/// <summary>The tools of one run, confined to its workspace: their definitions for the API and the dispatch of Claude's calls.</summary>
internal sealed class AgentTools
{
    public const string SubmitResult = "submit_result";

    private readonly AgentRequest _request;
    private readonly TextEditorTool _editor;
    private readonly SearchCodeTool _search;
    private readonly FindFilesTool _find;
    private readonly ReplaceAllTool _replace;
    private readonly MovePathTool _move;
    private readonly DeletePathTool _delete;
    private readonly RunChecksTool _checks;
    private readonly BashTool _bash;

    public AgentTools(AgentRequest request, ClaudeOptions settings, long maxFileBytes)
    {
        _request = request;
        var paths = new RepositoryPaths(request.WorkspacePath);
        _editor = new TextEditorTool(paths, maxFileBytes, settings.MaxToolResultChars);
        _search = new SearchCodeTool(paths, request.Files, maxFileBytes, settings.MaxSearchMatches, settings.MaxToolResultChars);
        _find = new FindFilesTool(paths, request.Files, settings.MaxFindResults);
        _replace = new ReplaceAllTool(paths, request.Files, maxFileBytes, settings.MaxReplaceFiles);
        _move = new MovePathTool(paths);
        _delete = new DeletePathTool(paths);
        _checks = new RunChecksTool(request.Checks, settings.MaxToolResultChars);
        _bash = new BashTool(request.Shell);
        Definitions =
        [
            RepositoryOverview.Definition(),
            new JsonObject { ["type"] = TextEditorTool.Type, ["name"] = TextEditorTool.Name, ["max_characters"] = settings.MaxToolResultChars },
            SearchCodeTool.Definition(),
            FindFilesTool.Definition(),
            ReplaceAllTool.Definition(),
            MovePathTool.Definition(),
            DeletePathTool.Definition(),
            RunChecksTool.Definition(),
            .. request.Shell is null ? Array.Empty<JsonObject>() : [BashTool.Definition()],
            SubmitDefinition(),
        ];
    }

    /// <summary>The tool definitions, the same for every run (they are part of the cached prefix).</summary>
    public JsonArray Definitions { get; }

    private IEnumerable<string> Names => Definitions.Select(d => d!["name"]!.GetValue<string>());

    /// <summary>Whether <paramref name="name"/> is one of this run's tools (what Claude asks for may be anything).</summary>
    public bool Has(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Carries out one call other than <c>submit_result</c>; throws <see cref="ToolException"/> for Claude to read.</summary>
    public async Task<string> ExecuteAsync(string name, JsonObject input, CancellationToken cancellationToken)
    {
        if (name is TextEditorTool.Name or ReplaceAllTool.Name or MovePathTool.Name or DeletePathTool.Name)
        {
            // What these write is Cody Batch's until handed to the sandbox's user; the shell's next command does that.
            _request.Shell?.NoteWorkspaceWritten();
        }

        return await DispatchAsync(name, input, cancellationToken);
    }

    private async Task<string> DispatchAsync(string name, JsonObject input, CancellationToken cancellationToken) => name switch
    {
        RepositoryOverview.ToolName => RepositoryOverview.Build(_request.Repository, _request.WorkspacePath, await _request.Files.ListFilesAsync(cancellationToken))
            + RunChecksTool.OverviewText(_request.Checks),
        RunChecksTool.Name => await _checks.ExecuteAsync(input, cancellationToken),
        BashTool.Name when _request.Shell is not null => await _bash.ExecuteAsync(input, cancellationToken),
        TextEditorTool.Name => _editor.Execute(input),
        SearchCodeTool.Name => await _search.ExecuteAsync(input, cancellationToken),
        FindFilesTool.Name => await _find.ExecuteAsync(input, cancellationToken),
        ReplaceAllTool.Name => await _replace.ExecuteAsync(input, cancellationToken),
        MovePathTool.Name => _move.Execute(input),
        DeletePathTool.Name => _delete.Execute(input),
        _ => throw new ToolException($"There is no tool named \"{name}\"; use one of {string.Join(", ", Names)}."),
    };

    private static JsonObject SubmitDefinition() => new()
    {
        ["name"] = SubmitResult,
        ["description"] = "Finish the task and end the run. Call exactly once, after your last edit.",
        ["input_schema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["wereChangesNecessary"] = new JsonObject { ["type"] = "boolean", ["description"] = "Whether the task needed changes in this repository (and you made them)." },
                ["summary"] = new JsonObject { ["type"] = "string", ["description"] = "Markdown: what you found and what you changed, or why nothing needed changing." },
                ["pullRequestTitle"] = new JsonObject { ["type"] = "string", ["description"] = "A short pull request title, when you changed something." },
                ["pullRequestBody"] = new JsonObject { ["type"] = "string", ["description"] = "Markdown pull request description, when you changed something." },
            },
            ["required"] = new JsonArray("wereChangesNecessary", "summary"),
        },
    };
}
