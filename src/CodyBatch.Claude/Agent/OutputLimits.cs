using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// How many output tokens one response may ask for, by model (Anthropic's model overview: 32,000
/// for Opus 4 and 4.1, 8,192 for Haiku 3.5, 64,000 for the other current models), and the
/// <c>max_tokens</c> and <c>thinking</c> of a request within that limit: thinking's budget must stay
/// below <c>max_tokens</c>, with room left for the answer itself.
/// </summary>
internal static class OutputLimits
{
    private const int MinimumAnswerTokens = 1_024;

    public static int MaxOutputTokens(string model) => model switch
    {
        _ when model.StartsWith("claude-opus-4-5", StringComparison.OrdinalIgnoreCase) => 64_000,
        _ when model.StartsWith("claude-opus-4", StringComparison.OrdinalIgnoreCase) => 32_000,
        _ when model.StartsWith("claude-3-5-haiku", StringComparison.OrdinalIgnoreCase) => 8_192,
        _ => 64_000,
    };

    /// <summary><c>max_tokens</c>, and the <c>thinking</c> parameter (null without thinking) for a request to <paramref name="model"/>.</summary>
    public static (int MaxTokens, JsonObject? Thinking) For(string model, int maxOutputTokens, int? thinkingBudget)
    {
        var limit = MaxOutputTokens(model);
        if (thinkingBudget is not { } budget)
        {
            return (Math.Min(maxOutputTokens, limit), null);
        }

        var maxTokens = Math.Min(budget + maxOutputTokens, limit);
        var fitted = Math.Max(1_024, Math.Min(budget, maxTokens - MinimumAnswerTokens));
        return (maxTokens, new JsonObject { ["type"] = "enabled", ["budget_tokens"] = fitted });
    }
}
