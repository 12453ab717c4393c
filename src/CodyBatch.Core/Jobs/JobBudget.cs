using System.Globalization;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// A job's dollar budget (<see cref="Job.BudgetUsd"/>) as one attempt of one of its runs sees it: what the job spent
/// outside this attempt (its other runs, this run's earlier attempts), raised as the worker learns of new spending, and
/// what is left for this attempt. Thread-safe: the worker observes while the agent reads.
/// </summary>
public sealed class JobBudget
{
    private readonly Lock _gate = new();
    private decimal _spentElsewhere;

    /// <summary>A budget of <paramref name="budgetUsd"/> of which <paramref name="spentElsewhere"/> is spent outside this attempt.</summary>
    public JobBudget(decimal budgetUsd, decimal spentElsewhere)
    {
        BudgetUsd = budgetUsd;
        _spentElsewhere = spentElsewhere;
    }

    /// <summary>The job's budget in US dollars.</summary>
    public decimal BudgetUsd { get; }

    /// <summary>What the job has spent outside this attempt, as last observed.</summary>
    public decimal SpentElsewhere
    {
        get
        {
            lock (_gate)
            {
                return _spentElsewhere;
            }
        }
    }

    /// <summary>The budget of an attempt of <paramref name="run"/> in <paramref name="job"/>; null when the job has none.</summary>
    public static JobBudget? For(Job job, RepositoryRun run) =>
        job.BudgetUsd is { } budget ? new JobBudget(budget, SpentOutside(job, run.Repository, run.Usage)) : null;

    /// <summary>
    /// What <paramref name="job"/> spent outside the current attempt of <paramref name="repository"/>: every other run,
    /// plus <paramref name="runBefore"/> (what that run had spent when the attempt began).
    /// </summary>
    public static decimal SpentOutside(Job job, string repository, TokenUsage runBefore) =>
        job.Runs.Where(r => !string.Equals(r.Repository, repository, StringComparison.OrdinalIgnoreCase)).Sum(r => r.Usage.CostUsd) + runBefore.CostUsd;

    /// <summary>Records newer spending outside this attempt (it only grows).</summary>
    public void Observe(decimal spentElsewhere)
    {
        lock (_gate)
        {
            _spentElsewhere = Math.Max(_spentElsewhere, spentElsewhere);
        }
    }

    /// <summary>What is left for this attempt when it has spent <paramref name="attemptCost"/>.</summary>
    public decimal Left(decimal attemptCost) => BudgetUsd - SpentElsewhere - attemptCost;

    /// <summary>Why no more may be spent once this attempt has spent <paramref name="attemptCost"/>, or null while some is left.</summary>
    public string? Spent(decimal attemptCost) =>
        Left(attemptCost) <= 0
            ? string.Create(CultureInfo.InvariantCulture, $"The job's budget of ${BudgetUsd:0.00} (budgetUsd) is spent: its runs have cost ${SpentElsewhere + attemptCost:0.00}.")
            : null;

    /// <summary>Why a run of the job does not start: the budget is spent already.</summary>
    public string NotStarted() => string.Create(
        CultureInfo.InvariantCulture,
        $"Not started: the job's budget of ${BudgetUsd:0.00} (budgetUsd) was spent (${SpentElsewhere:0.00} across its runs) before this run began. Run the job again with a larger budget.");
}
