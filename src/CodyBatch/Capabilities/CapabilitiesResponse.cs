namespace CodyBatch.Capabilities;

/// <summary>What this server can do, for the new-job form; no secret, only whether one is set.</summary>
/// <param name="Claude">Whether runs can reach Claude.</param>
/// <param name="GitHub">Whether GitHub repositories can be used.</param>
/// <param name="LocalRepositoriesAllowed">Whether jobs may name git repositories on the server by path.</param>
/// <param name="AllowedRepositories">Patterns an owner/name must match (empty: any).</param>
/// <param name="Limits">Limits of one job.</param>
/// <param name="Budgets">Budgets of one run.</param>
/// <param name="DefaultModel">The model of jobs that name none.</param>
public sealed record CapabilitiesResponse(
    ServiceState Claude,
    ServiceState GitHub,
    bool LocalRepositoriesAllowed,
    IReadOnlyList<string> AllowedRepositories,
    JobLimits Limits,
    RunBudgets Budgets,
    string DefaultModel);

/// <summary>Whether an outside service is usable, and if not, a sentence that says why and what to set.</summary>
public sealed record ServiceState(bool Available, string? Problem);

/// <summary>Limits of one job.</summary>
public sealed record JobLimits(int MaxRepositories, int MaxPromptLength, int MaxTitleLength);

/// <summary>Budgets of one run: turns, tokens and dollars.</summary>
public sealed record RunBudgets(int MaxTurns, long MaxTokens, decimal MaxCostUsd);
