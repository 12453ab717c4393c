using System.Diagnostics;
using CodyBatch.Claude.Messages;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Telemetry;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// The agent's spans, named and attributed as OpenTelemetry's generative AI conventions say: <c>chat {model}</c> for
/// each request to the Messages API (with its tokens and stop reason), <c>execute_tool {name}</c> for each tool call.
/// Neither carries a message, a tool's input or its result.
/// </summary>
internal static class AgentTelemetry
{
    public static Activity? StartRequest(string model, int turn, int maxTokens)
    {
        var activity = CodyBatchTelemetry.Start($"chat {model}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", "anthropic");
            activity.SetTag(CodyBatchMetrics.Model, model);
            activity.SetTag("gen_ai.request.max_tokens", maxTokens);
            activity.SetTag("codybatch.turn", turn);
        }

        return activity;
    }

    /// <summary>Records the response's tokens and cost on the span and the token and cost metrics.</summary>
    public static void Responded(Activity? activity, string model, ClaudeResponse response, TokenUsage usage)
    {
        CodyBatchMetrics.Used(model, usage);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.response.finish_reasons", new[] { response.StopReason ?? "" });
        activity.SetTag("gen_ai.usage.input_tokens", response.InputTokens);
        activity.SetTag("gen_ai.usage.output_tokens", response.OutputTokens);
        activity.SetTag("gen_ai.usage.cache_read.input_tokens", response.CacheReadTokens);
        activity.SetTag("gen_ai.usage.cache_creation.input_tokens", response.CacheWriteTokens);
        activity.SetTag("codybatch.cost_usd", (double)usage.CostUsd);
    }

    public static Activity? StartTool(string name, string callId)
    {
        var activity = CodyBatchTelemetry.Start($"execute_tool {name}");
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", "execute_tool");
            activity.SetTag("gen_ai.tool.name", name);
            activity.SetTag("gen_ai.tool.call.id", callId);
        }

        return activity;
    }

    public static void ToolEnded(Activity? activity, bool isError)
    {
        if (activity is not null && isError)
        {
            // The error's text goes to Claude and the thread only; it may quote the repository.
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", "tool_error");
        }
    }
}
