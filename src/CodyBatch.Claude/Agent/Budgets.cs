using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Claude.Agent;

/// <summary>
/// The run's turn, token and cost budgets: whether one is used up, and — once per run — whether one
/// has reached the share at which Claude is asked to wrap up. With a job budget, the run's cost cap is the
/// smaller of the server's run budget and what is left of the job's when the run starts, and the run also
/// stops once the job's runs together have spent the job's budget.
/// </summary>
internal sealed class Budgets
{
    private readonly ClaudeOptions _settings;
    private readonly JobBudget? _job;
    private readonly decimal _costCap;
    private bool _wrapUpSent;

    public Budgets(ClaudeOptions settings, JobBudget? job = null)
    {
        _settings = settings;
        _job = job;
        _costCap = job is null ? settings.MaxCostUsd : Math.Max(0m, Math.Min(settings.MaxCostUsd, job.Left(0)));
    }

    public static string WrapUpText(string reason) =>
        $"Budget notice from Cody Batch: {reason}. Stop exploring now. Bring your change to a consistent state (finish or undo half-made edits, "
        + "fix references to anything you renamed or removed) and call submit_result, with a summary that says plainly what is done and what is left.";

    /// <summary>Why the run must stop before turn <paramref name="turn"/>, or null while every budget holds.</summary>
    public string? Exhausted(int turn, TokenUsage total)
    {
        if (turn > _settings.MaxTurns)
        {
            return $"The run used its {_settings.MaxTurns} turns (CodyBatch:Agent:MaxTurns) without Claude submitting a result.";
        }

        if (total.TotalTokens >= _settings.MaxTokens)
        {
            return $"The run used {total.TotalTokens:N0} tokens, its budget of {_settings.MaxTokens:N0} (CodyBatch:Agent:MaxTokens), before Claude submitted a result.";
        }

        // The job's budget: what was left of it when the run started is its cap (below the server's), and the job's
        // other runs spend from it too.
        if (_job?.Spent(total.CostUsd) is { } spent)
        {
            return $"{spent} This run stopped before Claude submitted a result.";
        }

        return total.CostUsd >= _settings.MaxCostUsd
            ? $"The run cost ${total.CostUsd:0.00}, its budget of ${_settings.MaxCostUsd:0.00} (CodyBatch:Agent:MaxCostUsd), before Claude submitted a result."
            : null;
    }

    /// <summary>The first time a budget reaches its wrap-up share: which one, as a phrase; otherwise null.</summary>
    public string? WrapUpDue(int turn, TokenUsage total)
    {
        if (_wrapUpSent)
        {
            return null;
        }

        var share = _settings.WrapUpShare;
        string? reason = null;
        if (turn >= Math.Ceiling(share * _settings.MaxTurns) && _settings.MaxTurns > 1)
        {
            reason = $"this is turn {turn} of at most {_settings.MaxTurns}";
        }
        else if (total.TotalTokens >= share * _settings.MaxTokens)
        {
            reason = $"the run has used {total.TotalTokens:N0} of its {_settings.MaxTokens:N0} tokens";
        }
        else if (total.CostUsd >= (decimal)share * _costCap)
        {
            reason = $"the run has cost ${total.CostUsd:0.00} of its ${_costCap:0.00} budget";
        }
        else if (_job is not null && _job.Left(total.CostUsd) <= (1 - (decimal)share) * _costCap)
        {
            reason = $"the job has spent ${_job.BudgetUsd - _job.Left(total.CostUsd):0.00} of its ${_job.BudgetUsd:0.00} budget";
        }

        _wrapUpSent = reason is not null;
        return reason;
    }
}
