using System.Text.Json.Nodes;
using CodyBatch.Claude.Messages;
using CodyBatch.Claude.Pricing;
using CodyBatch.Claude.Tools;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// The code agent: Claude explores and edits the workspace through confined tools until it calls
/// <c>submit_result</c>, within the run's turn, token and cost budgets. Tools, system prompt and
/// the conversation so far carry cache breakpoints, so each turn pays full price only for what is
/// new. Every request, response, tool result, retry and the usage of each turn go into the thread.
/// </summary>
public sealed partial class ClaudeCodeAgent(
    ClaudeClientFactory clients,
    IOptions<ClaudeOptions> options,
    IOptions<WorkspaceOptions> workspaceOptions,
    TimeProvider time,
    ILogger<ClaudeCodeAgent> logger) : ICodeAgent
{
    /// <summary>Marks a tool call whose input could not be read (set while streaming, removed before sending back).</summary>
    internal const string InvalidInputKey = "codybatch_invalid_input";

    private const string SubmitResult = "submit_result";
    private const string OverviewCallId = "toolu_codybatch_overview";
    private const int MaxNudges = 2;

    /// <inheritdoc />
    public async Task<AgentOutcome> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var prices = new PriceTable(settings.Prices);
        var client = new MessagesClient(clients.Get(), settings, time);
        var paths = new RepositoryPaths(request.WorkspacePath);
        var maxFileBytes = workspaceOptions.Value.MaxFileBytes;
        var editor = new TextEditorTool(paths, maxFileBytes, settings.MaxToolResultChars);
        var search = new SearchCodeTool(paths, request.Files, request.WorkspacePath, maxFileBytes, settings.MaxSearchMatches, settings.MaxToolResultChars);
        var tools = Tools(settings);
        var system = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = SystemPrompt.Text, ["cache_control"] = Ephemeral() });
        request.Thread.Add("system", new JsonObject { ["system"] = SystemPrompt.Text, ["tools"] = tools.DeepClone() });

        var overview = RepositoryOverview.Build(request.Repository, request.WorkspacePath, await request.Files.ListFilesAsync(cancellationToken));
        var messages = new JsonArray
        {
            User(new JsonObject { ["type"] = "text", ["text"] = $"<task>\n{request.Prompt}\n</task>\n\nWork on the repository at /repo. Its overview follows." }),
            new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject
                {
                    ["type"] = "tool_use",
                    ["id"] = OverviewCallId,
                    ["name"] = TextEditorTool.Name,
                    ["input"] = new JsonObject { ["command"] = "view", ["path"] = RepositoryPaths.Root },
                }),
            },
            User(ToolResult(OverviewCallId, overview, isError: false)),
        };

        var total = TokenUsage.Zero;
        var recorded = 0;
        var nudges = 0;
        for (var turn = 1; ; turn++)
        {
            if (turn > settings.MaxTurns)
            {
                return Stop(request, $"The run used its {settings.MaxTurns} turns (CodyBatch:Agent:MaxTurns) without Claude submitting a result.", total);
            }

            if (total.TotalTokens >= settings.MaxTokens)
            {
                return Stop(request, $"The run used {total.TotalTokens:N0} tokens, its budget of {settings.MaxTokens:N0} (CodyBatch:Agent:MaxTokens), before Claude submitted a result.", total);
            }

            if (total.CostUsd >= settings.MaxCostUsd)
            {
                return Stop(request, $"The run cost ${total.CostUsd:0.00}, its budget of ${settings.MaxCostUsd:0.00} (CodyBatch:Agent:MaxCostUsd), before Claude submitted a result.", total);
            }

            MarkCacheBreakpoints(messages);
            request.Thread.Add("request", new JsonObject { ["turn"] = turn, ["messages"] = new JsonArray([.. messages.Skip(recorded).Select(m => m!.DeepClone())]) });
            recorded = messages.Count;
            var body = new JsonObject
            {
                ["model"] = request.Model,
                ["max_tokens"] = settings.MaxOutputTokens,
                ["system"] = system.DeepClone(),
                ["tools"] = tools.DeepClone(),
                ["messages"] = messages.DeepClone(),
            };
            var currentTurn = turn;
            await AgentActivity.WaitingAsync(turn);
            var response = await client.SendAsync(
                body,
                retry =>
                {
                    retry["turn"] = currentTurn;
                    LogRetry(logger, request.Repository, retry["reason"]!.GetValue<string>(), retry["waitSeconds"]!.GetValue<double>());
                    request.Thread.Add("retry", retry);
                    return Task.CompletedTask;
                },
                cancellationToken);

            var usage = prices.Price(request.Model, response.InputTokens, response.OutputTokens, response.CacheReadTokens, response.CacheWriteTokens);
            total += usage;
            request.Usage.Report(total);
            var invalidInputs = new Dictionary<string, string>();
            foreach (var block in response.Content.OfType<JsonObject>())
            {
                if (block.Remove(InvalidInputKey, out var problem))
                {
                    invalidInputs[block["id"]!.GetValue<string>()] = problem!.GetValue<string>();
                }
            }

            request.Thread.Add("response", new JsonObject
            {
                ["turn"] = turn,
                ["content"] = response.Content.DeepClone(),
                ["stopReason"] = response.StopReason,
                ["usage"] = UsageJson(usage),
            });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = response.Content.DeepClone() });

            if (response.StopReason == "refusal")
            {
                return Stop(request, "Claude declined to work on this task (stop reason: refusal); rephrase the prompt.", total);
            }

            var calls = response.Content.OfType<JsonObject>().Where(b => b["type"]?.GetValue<string>() == "tool_use").ToList();
            if (calls.Count == 0)
            {
                if (++nudges > MaxNudges)
                {
                    return Stop(request, "Claude stopped without calling submit_result, after being reminded; the run has no result.", total);
                }

                messages.Add(User(new JsonObject
                {
                    ["type"] = "text",
                    ["text"] = response.StopReason == "max_tokens"
                        ? "Your answer was cut off at the output limit. Continue in smaller steps, and finish by calling submit_result."
                        : "Continue with the task using the tools, and finish by calling submit_result.",
                }));
                continue;
            }

            nudges = 0;
            var results = new JsonArray();
            AgentResult? submitted = null;
            foreach (var call in calls)
            {
                var id = call["id"]!.GetValue<string>();
                var name = call["name"]?.GetValue<string>() ?? "";
                var input = call["input"] as JsonObject ?? [];
                string content;
                var isError = false;
                await AgentActivity.ToolAsync(turn, name, input);
                try
                {
                    if (invalidInputs.TryGetValue(id, out var invalid))
                    {
                        throw new ToolException($"{invalid} Call the tool again with a valid JSON object as input.");
                    }

                    switch (name)
                    {
                        case TextEditorTool.Name:
                            content = editor.Execute(input);
                            break;
                        case SearchCodeTool.Name:
                            content = await search.ExecuteAsync(input, cancellationToken);
                            break;
                        case SubmitResult:
                            submitted = ReadResult(input);
                            content = "Result recorded.";
                            break;
                        default:
                            throw new ToolException($"There is no tool named \"{name}\"; use {TextEditorTool.Name}, {SearchCodeTool.Name} or {SubmitResult}.");
                    }
                }
                catch (ToolException e)
                {
                    content = e.Message;
                    isError = true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    content = $"The tool could not do that: {e.Message}";
                    isError = true;
                }

                results.Add(ToolResult(id, Cut(content, settings.MaxToolResultChars), isError));
            }

            if (submitted is not null)
            {
                request.Thread.Add("result", new JsonObject
                {
                    ["turn"] = turn,
                    ["wereChangesNecessary"] = submitted.WereChangesNecessary,
                    ["summary"] = submitted.Summary,
                    ["pullRequestTitle"] = submitted.PullRequestTitle,
                    ["pullRequestBody"] = submitted.PullRequestBody,
                    ["usage"] = UsageJson(total),
                });
                return AgentOutcome.Succeeded(submitted, total);
            }

            messages.Add(new JsonObject { ["role"] = "user", ["content"] = results });
        }
    }

    private static AgentResult ReadResult(JsonObject input)
    {
        var necessary = ToolInput.RequiredBoolean(input, "wereChangesNecessary", SubmitResult);
        var summary = ToolInput.RequiredString(input, "summary", SubmitResult);
        var title = ToolInput.OptionalString(input, "pullRequestTitle", SubmitResult);
        var body = ToolInput.OptionalString(input, "pullRequestBody", SubmitResult);
        return new AgentResult(necessary, summary.Trim(), string.IsNullOrWhiteSpace(title) ? null : title.Trim(), string.IsNullOrWhiteSpace(body) ? null : body.Trim());
    }

    private static AgentOutcome Stop(AgentRequest request, string reason, TokenUsage total)
    {
        request.Thread.Add("stopped", new JsonObject { ["reason"] = reason, ["usage"] = UsageJson(total) });
        return AgentOutcome.Failed(reason, total);
    }

    private static JsonArray Tools(ClaudeOptions settings) =>
    [
        new JsonObject { ["type"] = TextEditorTool.Type, ["name"] = TextEditorTool.Name, ["max_characters"] = settings.MaxToolResultChars },
        SearchCodeTool.Definition(),
        new JsonObject
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
        },
    ];

    // Breakpoints on the system prompt (covering the tools before it) and on the last block of the
    // two latest user messages: the previous one is read from the cache, the latest one is written.
    private static void MarkCacheBreakpoints(JsonArray messages)
    {
        var users = messages.OfType<JsonObject>().Where(m => m["role"]?.GetValue<string>() == "user").ToList();
        for (var i = 0; i < users.Count; i++)
        {
            foreach (var block in users[i]["content"]!.AsArray().OfType<JsonObject>())
            {
                block.Remove("cache_control");
            }

            if (i >= users.Count - 2)
            {
                users[i]["content"]!.AsArray().OfType<JsonObject>().Last()["cache_control"] = Ephemeral();
            }
        }
    }

    private static JsonObject Ephemeral() => new() { ["type"] = "ephemeral" };

    private static JsonObject User(JsonObject block) => new() { ["role"] = "user", ["content"] = new JsonArray(block) };

    private static JsonObject ToolResult(string id, string content, bool isError)
    {
        var result = new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = id, ["content"] = content };
        if (isError)
        {
            result["is_error"] = true;
        }

        return result;
    }

    private static string Cut(string text, int max) =>
        text.Length <= max ? text : text[..max] + $"\n[Cut at {max:N0} characters of {text.Length:N0}.]";

    private static JsonObject UsageJson(TokenUsage usage) => new()
    {
        ["inputTokens"] = usage.InputTokens,
        ["outputTokens"] = usage.OutputTokens,
        ["cacheReadTokens"] = usage.CacheReadTokens,
        ["cacheWriteTokens"] = usage.CacheWriteTokens,
        ["costUsd"] = usage.CostUsd,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claude request for {Repository} will be retried: {Reason}; waiting {WaitSeconds} s")]
    private static partial void LogRetry(ILogger logger, string repository, string reason, double waitSeconds);
}
