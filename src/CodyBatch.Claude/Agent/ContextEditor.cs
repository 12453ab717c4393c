using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// Clears old tool results from what is sent, the way Anthropic's <c>clear_tool_uses_20250919</c>
/// does (oldest first, the latest few kept, a placeholder in their place, at least so many tokens
/// or nothing), but on Cody Batch's side so that what was cleared stays cleared: the prompt's prefix
/// changes only at a clearing, and between clearings every turn reads it from the cache. The
/// thread keeps the full results; only the requests carry the placeholders.
/// </summary>
internal sealed class ContextEditor(ClaudeOptions settings)
{
    public const string Placeholder = "[This tool result was cleared to keep the conversation short. Call the tool again if you need it.]";

    private readonly HashSet<string> _cleared = new(StringComparer.Ordinal);

    /// <summary>The conversation as it will be sent: cleared results replaced, and maybe more cleared now.</summary>
    /// <returns>The messages to send, and what this call newly cleared (null when nothing).</returns>
    public (JsonArray Messages, JsonObject? Cleared) Prepare(JsonArray messages, long fixedTokens)
    {
        var copy = messages.DeepClone().AsArray();
        if (!settings.ContextEditing)
        {
            return (copy, null);
        }

        // The overview carries the repository's conventions: it stays.
        var kept = copy.OfType<JsonObject>()
            .Where(m => m["role"]?.GetValue<string>() == "assistant")
            .SelectMany(m => m["content"]!.AsArray().OfType<JsonObject>())
            .Where(b => b["type"]?.GetValue<string>() == "tool_use" && b["name"]?.GetValue<string>() == RepositoryOverview.ToolName)
            .Select(b => b["id"]!.GetValue<string>())
            .ToHashSet(StringComparer.Ordinal);
        var results = copy.OfType<JsonObject>()
            .Where(m => m["role"]?.GetValue<string>() == "user")
            .SelectMany(m => m["content"]!.AsArray().OfType<JsonObject>())
            .Where(b => b["type"]?.GetValue<string>() == "tool_result")
            .ToList();
        foreach (var result in results.Where(r => _cleared.Contains(r["tool_use_id"]!.GetValue<string>())))
        {
            result["content"] = Placeholder;
        }

        var size = fixedTokens + Tokens(copy);
        JsonObject? cleared = null;
        if (size > settings.ContextEditingTriggerTokens)
        {
            var candidates = results
                .Take(Math.Max(0, results.Count - settings.ContextEditingKeepToolUses))
                .Where(r => !_cleared.Contains(r["tool_use_id"]!.GetValue<string>()) && !kept.Contains(r["tool_use_id"]!.GetValue<string>()))
                .ToList();
            var chosen = new List<JsonObject>();
            long freed = 0;
            foreach (var candidate in candidates)
            {
                if (freed >= settings.ContextEditingClearAtLeastTokens && size - freed <= settings.ContextEditingTriggerTokens)
                {
                    break;
                }

                chosen.Add(candidate);
                freed += Tokens(candidate["content"]!) - Tokens(JsonValue.Create(Placeholder));
            }

            if (chosen.Count > 0 && freed >= settings.ContextEditingClearAtLeastTokens)
            {
                foreach (var result in chosen)
                {
                    _cleared.Add(result["tool_use_id"]!.GetValue<string>());
                    result["content"] = Placeholder;
                }

                cleared = new JsonObject { ["clearedToolUses"] = chosen.Count, ["clearedTokens"] = freed, ["promptTokensBefore"] = size };
            }
        }

        return (copy, cleared);
    }

    /// <summary>A size estimate in tokens (about four characters of JSON each).</summary>
    public static long Tokens(JsonNode node) => node.ToJsonString().Length / 4;
}
