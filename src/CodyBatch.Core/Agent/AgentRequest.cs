using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Agent;

/// <summary>What the agent is asked to do.</summary>
/// <param name="Prompt">The user's instruction.</param>
/// <param name="Model">The model to use.</param>
/// <param name="Repository">owner/name, for the agent's overview.</param>
/// <param name="WorkspacePath">The folder the agent may read and change, and nothing outside it.</param>
/// <param name="Thread">Where the agent records the conversation.</param>
/// <param name="Usage">Receives the usage of this attempt so far, after every turn.</param>
/// <param name="Files">Lists the workspace's files the way git does (honouring <c>.gitignore</c>).</param>
/// <param name="ThinkingBudgetTokens">Extended thinking's budget per response, in tokens; null for no extended thinking.</param>
public sealed record AgentRequest(
    string Prompt,
    string Model,
    string Repository,
    string WorkspacePath,
    AgentThread Thread,
    IProgress<TokenUsage> Usage,
    IWorkspaceFiles Files,
    int? ThinkingBudgetTokens = null)
{
    /// <summary>The repository's checks the agent may run (<c>run_checks</c>), with their baseline; null when there are none.</summary>
    public Checks.AgentChecks? Checks { get; init; }

    /// <summary>The run's shell in its sandbox (the <c>bash</c> tool); null when the run has none.</summary>
    public Environments.RunShell? Shell { get; init; }

    /// <summary>
    /// A triage run: Claude gets only the tools that read (overview, search, find, read) and answers whether
    /// the change is necessary with a reason and a confidence, instead of changing anything.
    /// </summary>
    public bool Triage { get; init; }

    /// <summary>
    /// The job's dollar budget: the attempt's cost cap is the smaller of the server's run budget and what is left of it,
    /// and the attempt stops the way a run's own budget stops it once the job's runs together have spent it. Null: none.
    /// </summary>
    public Jobs.JobBudget? JobBudget { get; init; }

    /// <summary>For a follow-up round: what the agent is told about it (quoted data, after the task); null otherwise.</summary>
    public string? FollowUp { get; init; }

    /// <summary>A lower cost cap than the server's for this run (a follow-up round's), in US dollars; null for the server's.</summary>
    public decimal? MaxCostUsd { get; init; }
}
