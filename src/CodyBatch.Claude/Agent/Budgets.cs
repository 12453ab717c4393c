using CodyBatch.Core.Runs;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// The run's turn, token and cost budgets: whether one is used up, and — once per run — whether one
/// has reached the share at which Claude is asked to wrap up.
/// </summary>
internal sealed class Budgets(ClaudeOptions settings, decimal? roundCap = null)
{
    private bool _wrapUpSent;

    // A follow-up round's cap, when lower than the server's.
    private decimal MaxCostUsd => roundCap is { } cap && cap < settings.MaxCostUsd ? cap : settings.MaxCostUsd;

    private string CostSetting => roundCap is { } cap && cap < settings.MaxCostUsd ? "the round's cost cap" : "CodyBatch:Agent:MaxCostUsd";

    public static string WrapUpText(string reason) =>
        $"Budget notice from Cody Batch: {reason}. Stop exploring now. Bring your change to a consistent state (finish or undo half-made edits, "
        + "fix references to anything you renamed or removed) and call submit_result, with a summary that says plainly what is done and what is left.";

    /// <summary>Why the run must stop before turn <paramref name="turn"/>, or null while every budget holds.</summary>
    public string? Exhausted(int turn, TokenUsage total)
    {
        if (turn > settings.MaxTurns)
        {
            return $"The run used its {settings.MaxTurns} turns (CodyBatch:Agent:MaxTurns) without Claude submitting a result.";
        }

        if (total.TotalTokens >= settings.MaxTokens)
        {
            return $"The run used {total.TotalTokens:N0} tokens, its budget of {settings.MaxTokens:N0} (CodyBatch:Agent:MaxTokens), before Claude submitted a result.";
        }

        return total.CostUsd >= MaxCostUsd
            ? $"The run cost ${total.CostUsd:0.00}, its budget of ${MaxCostUsd:0.00} ({CostSetting}), before Claude submitted a result."
            : null;
    }

    /// <summary>The first time a budget reaches its wrap-up share: which one, as a phrase; otherwise null.</summary>
    public string? WrapUpDue(int turn, TokenUsage total)
    {
        if (_wrapUpSent)
        {
            return null;
        }

        var share = settings.WrapUpShare;
        string? reason = null;
        if (turn >= Math.Ceiling(share * settings.MaxTurns) && settings.MaxTurns > 1)
        {
            reason = $"this is turn {turn} of at most {settings.MaxTurns}";
        }
        else if (total.TotalTokens >= share * settings.MaxTokens)
        {
            reason = $"the run has used {total.TotalTokens:N0} of its {settings.MaxTokens:N0} tokens";
        }
        else if (total.CostUsd >= (decimal)share * MaxCostUsd)
        {
            reason = $"the run has cost ${total.CostUsd:0.00} of its ${MaxCostUsd:0.00} budget";
        }

        _wrapUpSent = reason is not null;
        return reason;
    }
}
