using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Agent;

/// <summary>What the agent reported at its end (<c>submit_result</c>).</summary>
public sealed record AgentResult(bool WereChangesNecessary, string Summary, string? PullRequestTitle = null, string? PullRequestBody = null)
{
    /// <summary>A triage run's confidence in its answer, from 0 to 1; null for other runs (their summary is the reason).</summary>
    public double? Confidence { get; init; }
}

/// <summary>
/// How an agent run ended: with a result; incomplete (a budget ran out before Claude submitted,
/// but its edits are in the workspace and worth keeping); or failed with the reason there is none.
/// </summary>
public sealed record AgentOutcome(AgentResult? Result, TokenUsage Usage, string? FailureReason = null)
{
    /// <summary>True when a budget ended the run before a result: the workspace holds the work so far.</summary>
    public bool IsIncomplete { get; init; }

    /// <summary>An outcome with a result.</summary>
    public static AgentOutcome Succeeded(AgentResult result, TokenUsage usage) => new(result, usage);

    /// <summary>An outcome without a result.</summary>
    public static AgentOutcome Failed(string reason, TokenUsage usage) => new(null, usage, reason);

    /// <summary>A budget ran out before a result; the edits made so far should be kept.</summary>
    public static AgentOutcome Incomplete(string reason, TokenUsage usage) => new(null, usage, reason) { IsIncomplete = true };
}
