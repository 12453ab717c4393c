using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Agent;

/// <summary>What the agent reported at its end (<c>submit_result</c>).</summary>
public sealed record AgentResult(bool WereChangesNecessary, string Summary, string? PullRequestTitle = null, string? PullRequestBody = null);

/// <summary>How an agent run ended: with a result, or with the reason there is none (a budget hit, no result submitted).</summary>
public sealed record AgentOutcome(AgentResult? Result, TokenUsage Usage, string? FailureReason = null)
{
    /// <summary>An outcome with a result.</summary>
    public static AgentOutcome Succeeded(AgentResult result, TokenUsage usage) => new(result, usage);

    /// <summary>An outcome without a result.</summary>
    public static AgentOutcome Failed(string reason, TokenUsage usage) => new(null, usage, reason);
}
