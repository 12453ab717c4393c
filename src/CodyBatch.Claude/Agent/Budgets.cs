using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// The run's turn, token and cost budgets: whether one is used up, and — once per run — whether one
/// has reached the share at which Claude is asked to wrap up. The run's cost cap is the server's, or a follow-up
/// round's when lower. With a job budget, the run starts capped at the smaller of that and what is left of the job's,
/// and it also stops once the job's runs together have spent the job's budget.
/// </summary>
internal sealed class Budgets(ClaudeOptions settings, decimal? roundCap = null, JobBudget? job = null)
{
    private readonly decimal _costCap = job is null
        ? Cap(settings, roundCap)
        : Math.Max(0m, Math.Min(Cap(settings, roundCap), job.Left(0)));

    private bool _wrapUpSent;

    // A follow-up round's cap, when lower than the server's.
    private decimal MaxCostUsd => Cap(settings, roundCap);

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

        // The job's budget: what was left of it when the run started is its cap, and the job's other runs spend from it too.
        if (job?.Spent(total.CostUsd) is { } spent)
        {
            return $"{spent} This run stopped before Claude submitted a result.";
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
        else if (total.CostUsd >= (decimal)share * _costCap)
        {
            reason = $"the run has cost ${total.CostUsd:0.00} of its ${_costCap:0.00} budget";
        }
        else if (job is not null && job.Left(total.CostUsd) <= (1 - (decimal)share) * _costCap)
        {
            reason = $"the job has spent ${job.BudgetUsd - job.Left(total.CostUsd):0.00} of its ${job.BudgetUsd:0.00} budget";
        }

        _wrapUpSent = reason is not null;
        return reason;
    }

    private static decimal Cap(ClaudeOptions settings, decimal? roundCap) =>
        roundCap is { } cap && cap < settings.MaxCostUsd ? cap : settings.MaxCostUsd;
}
