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
        Definitions = request.Triage ? TriageDefinitions() :
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

    // A triage run reads only: no tool that writes, moves, deletes or replaces, no checks, no shell.
    private static JsonArray TriageDefinitions() =>
    [
        RepositoryOverview.Definition(),
        SearchCodeTool.Definition(),
        FindFilesTool.Definition(),
        TextEditorTool.ReadDefinition(),
        SubmitDefinition(triage: true),
    ];

    private IEnumerable<string> Names => Definitions.Select(d => d!["name"]!.GetValue<string>());

    /// <summary>Whether <paramref name="name"/> is one of this run's tools (what Claude asks for may be anything).</summary>
    public bool Has(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Carries out one call other than <c>submit_result</c>; throws <see cref="ToolException"/> for Claude to read.</summary>
    public async Task<string> ExecuteAsync(string name, JsonObject input, CancellationToken cancellationToken)
    {
        if (!Has(name))
        {
            // Claude may name any tool; only the ones this run offers are carried out (a triage run's are read-only).
            throw new ToolException($"There is no tool named \"{name}\"; use one of {string.Join(", ", Names)}.");
        }

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
        TextEditorTool.ReadName => _editor.Read(input),
        DeletePathTool.Name => _delete.Execute(input),
        _ => throw new ToolException($"There is no tool named \"{name}\"; use one of {string.Join(", ", Names)}."),
    };

    // submit_result: a triage run answers with a reason and a confidence; any other run reports its change.
    private static JsonObject SubmitDefinition(bool triage = false) => ToolDefinition.Of(
        SubmitResult,
        triage ? "Answer and end the run. Call exactly once." : "Finish the task and end the run. Call exactly once, after your last edit.",
        triage
            ? new JsonObject
            {
                ["wereChangesNecessary"] = ToolDefinition.Flag("Whether the task would need changes in this repository."),
                ["reason"] = ToolDefinition.Text("Markdown, a few sentences: what you found that decides it (files, usages)."),
                ["confidence"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1, ["description"] = "How sure you are, from 0 (a guess) to 1 (certain)." },
            }
            : new JsonObject
            {
                ["wereChangesNecessary"] = ToolDefinition.Flag("Whether the task needed changes in this repository (and you made them)."),
                ["summary"] = ToolDefinition.Text("Markdown: what you found and what you changed, or why nothing needed changing."),
                ["pullRequestTitle"] = ToolDefinition.Text("A short pull request title, when you changed something."),
                ["pullRequestBody"] = ToolDefinition.Text("Markdown pull request description, when you changed something."),
            },
        triage ? ["wereChangesNecessary", "reason", "confidence"] : ["wereChangesNecessary", "summary"]);
}
