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
/// <c>submit_result</c>, within the run's turn, token and cost budgets. Near a budget it is asked
/// once to wrap up; when a budget still runs out the run ends incomplete and keeps its edits.
/// The prefix every run of a job shares (tools, system prompt, task) and the conversation carry
/// cache breakpoints; old tool results are cleared from long conversations; extended thinking's
/// blocks go back exactly as received. Every request, response, tool result, retry and the usage
/// of each turn go into the thread.
/// </summary>
public sealed partial class ClaudeCodeAgent(
    ClaudeClientFactory clients,
    JobPrefixGate prefixes,
    IOptions<ClaudeOptions> options,
    IOptions<WorkspaceOptions> workspaceOptions,
    TimeProvider time,
    ILogger<ClaudeCodeAgent> logger) : ICodeAgent
{
    /// <summary>Marks a tool call whose input could not be read (set while streaming, removed before sending back).</summary>
    internal const string InvalidInputKey = "codybatch_invalid_input";

    private const int MaxNudges = 2;

    /// <inheritdoc />
    public async Task<AgentOutcome> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var prices = new PriceTable(settings.Prices);
        if (prices.Find(request.Model) is null)
        {
            // Unpriced, a run would count as free and no cost cap would stop it; job creation refuses such models too.
            return AgentOutcome.Failed(new ClaudeModelPriceCheck(options).Refuse(request.Model)!, TokenUsage.Zero);
        }

        var client = new MessagesClient(clients.Get(), settings, time);
        var tools = new AgentTools(request, settings, workspaceOptions.Value.MaxFileBytes);
        var systemText = request.Triage ? SystemPrompt.Triage : SystemPrompt.For(request.Shell);
        var system = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = systemText, ["cache_control"] = Ephemeral() });
        var (maxTokens, thinking) = OutputLimits.For(request.Model, settings.MaxOutputTokens, request.ThinkingBudgetTokens);
        request.Thread.Add("system", new JsonObject { ["system"] = systemText, ["tools"] = tools.Definitions.DeepClone(), ["maxTokens"] = maxTokens, ["thinking"] = thinking?.DeepClone() });

        // The first message is the same for every repository of a job, so with tools and system it
        // forms the shared cached prefix; repository content arrives only in Claude's own tool calls.
        var task = $"<task>\n{request.Prompt}\n</task>\n\nWork on the repository at /repo. Start by calling {RepositoryOverview.ToolName}.";
        if (request.FollowUp is { } followUp)
        {
            // A follow-up round's reason and material are quoted data in the user's message, never the system prompt.
            task += $"\n\n<follow_up_round>\n{followUp}\n</follow_up_round>";
        }

        var messages = new JsonArray { User(new JsonObject { ["type"] = "text", ["text"] = task }) };
        var prefixKey = settings.ShareJobPrefix ? JobPrefixGate.Key(request.Model, tools.Definitions, systemText, task, thinking) : null;
        var contextEditor = new ContextEditor(settings);
        var fixedTokens = ContextEditor.Tokens(tools.Definitions) + ContextEditor.Tokens(system);
        var budgets = new Budgets(settings, request.MaxCostUsd, request.JobBudget);

        var total = TokenUsage.Zero;
        var recorded = 0;
        var nudges = 0;
        for (var turn = 1; ; turn++)
        {
            if (budgets.Exhausted(turn, total) is { } reason)
            {
                return Incomplete(request, reason, total);
            }

            if (budgets.WrapUpDue(turn, total) is { } nearly)
            {
                messages[^1]!["content"]!.AsArray().Add(new JsonObject { ["type"] = "text", ["text"] = Budgets.WrapUpText(nearly) });
                request.Thread.Add("wrap_up", new JsonObject { ["turn"] = turn, ["reason"] = nearly });
            }

            MarkCacheBreakpoints(messages);
            request.Thread.Add("request", new JsonObject { ["turn"] = turn, ["messages"] = new JsonArray([.. messages.Skip(recorded).Select(m => m!.DeepClone())]) });
            recorded = messages.Count;
            var (sent, cleared) = contextEditor.Prepare(messages, fixedTokens);
            if (cleared is not null)
            {
                cleared["turn"] = turn;
                request.Thread.Add("context_edit", cleared);
            }

            var body = new JsonObject
            {
                ["model"] = request.Model,
                ["max_tokens"] = maxTokens,
                ["system"] = system.DeepClone(),
                ["tools"] = tools.Definitions.DeepClone(),
                ["messages"] = sent,
            };
            if (thinking is not null)
            {
                body["thinking"] = thinking.DeepClone();
            }

            await AgentActivity.WaitingAsync(turn);

            ClaudeResponse response;
            TokenUsage usage;
            using (var span = AgentTelemetry.StartRequest(request.Model, turn, maxTokens))
            {
                response = await SendAsync(client, body, request, turn, turn == 1 ? prefixKey : null, cancellationToken);
                usage = prices.Price(request.Model, response.InputTokens, response.OutputTokens, response.CacheReadTokens, response.CacheWriteTokens);
                AgentTelemetry.Responded(span, request.Model, response, usage);
            }

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

            // Sent back exactly as received: thinking blocks keep their signatures, or the API refuses them.
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
                using var toolSpan = AgentTelemetry.StartTool(tools.Has(name) ? name : "unknown", id);
                await AgentActivity.ToolAsync(turn, name, input);
                try
                {
                    if (invalidInputs.TryGetValue(id, out var invalid))
                    {
                        throw new ToolException($"{invalid} Call the tool again with a valid JSON object as input.");
                    }

                    if (name == AgentTools.SubmitResult)
                    {
                        submitted = request.Triage ? ReadTriage(input) : ReadResult(input);
                        content = "Result recorded.";
                    }
                    else
                    {
                        content = await tools.ExecuteAsync(name, input, cancellationToken);
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

                AgentTelemetry.ToolEnded(toolSpan, isError);
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
                    ["confidence"] = submitted.Confidence,
                    ["usage"] = UsageJson(total),
                });
                return AgentOutcome.Succeeded(submitted, total);
            }

            messages.Add(new JsonObject { ["role"] = "user", ["content"] = results });
        }
    }

    // The first request of a job's run waits for the job's first run to write the shared prefix.
    private async Task<ClaudeResponse> SendAsync(MessagesClient client, JsonObject body, AgentRequest request, int turn, string? prefixKey, CancellationToken cancellationToken)
    {
        var leads = prefixKey is not null && await prefixes.EnterAsync(prefixKey, options.Value.StallTimeout, cancellationToken);

        try
        {
            return await client.SendAsync(
                body,
                retry =>
                {
                    retry["turn"] = turn;
                    LogRetry(logger, request.Repository, retry["reason"]!.GetValue<string>(), retry["waitSeconds"]!.GetValue<double>());
                    request.Thread.Add("retry", retry);
                    return Task.CompletedTask;
                },
                cancellationToken);
        }
        finally
        {
            if (leads)
            {
                prefixes.Written(prefixKey!);
            }
        }
    }

    private static AgentResult ReadResult(JsonObject input)
    {
        var necessary = ToolInput.RequiredBoolean(input, "wereChangesNecessary", AgentTools.SubmitResult);
        var summary = ToolInput.RequiredString(input, "summary", AgentTools.SubmitResult);
        var title = ToolInput.OptionalString(input, "pullRequestTitle", AgentTools.SubmitResult);
        var body = ToolInput.OptionalString(input, "pullRequestBody", AgentTools.SubmitResult);
        return new AgentResult(necessary, summary.Trim(), string.IsNullOrWhiteSpace(title) ? null : title.Trim(), string.IsNullOrWhiteSpace(body) ? null : body.Trim());
    }

    private static AgentResult ReadTriage(JsonObject input)
    {
        var necessary = ToolInput.RequiredBoolean(input, "wereChangesNecessary", AgentTools.SubmitResult);
        var reason = ToolInput.RequiredString(input, "reason", AgentTools.SubmitResult);
        var confidence = ToolInput.RequiredFraction(input, "confidence", AgentTools.SubmitResult);
        return new AgentResult(necessary, reason.Trim()) { Confidence = confidence };
    }

    private static AgentOutcome Stop(AgentRequest request, string reason, TokenUsage total)
    {
        request.Thread.Add("stopped", new JsonObject { ["reason"] = reason, ["usage"] = UsageJson(total) });
        return AgentOutcome.Failed(reason, total);
    }

    private static AgentOutcome Incomplete(AgentRequest request, string reason, TokenUsage total)
    {
        request.Thread.Add("stopped", new JsonObject { ["reason"] = reason, ["incomplete"] = true, ["usage"] = UsageJson(total) });
        return AgentOutcome.Incomplete(reason, total);
    }

    // Breakpoints on the system prompt (covering the tools before it), on the task (the end of the
    // prefix every run of the job shares) and on the last block of the two latest user messages:
    // the previous one is read from the cache, the latest one is written. Four in all, the API's most.
    private static void MarkCacheBreakpoints(JsonArray messages)
    {
        var users = messages.OfType<JsonObject>().Where(m => m["role"]?.GetValue<string>() == "user").ToList();
        for (var i = 0; i < users.Count; i++)
        {
            foreach (var block in users[i]["content"]!.AsArray().OfType<JsonObject>())
            {
                block.Remove("cache_control");
            }

            if (i == 0)
            {
                users[i]["content"]!.AsArray().OfType<JsonObject>().First()["cache_control"] = Ephemeral();
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
