using CodyBatch.Core.Agent;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Engine;

/// <summary>The agent's finished work as it is stored on the run before anything is published.</summary>
/// <param name="Result">What the agent reported.</param>
/// <param name="Submission">What publishing needs to resume without the agent.</param>
/// <param name="PatchArtifact">The stored patch, when the agent changed something.</param>
/// <param name="ThreadArtifact">The stored thread.</param>
/// <param name="Usage">What the run has spent so far, all attempts.</param>
public sealed record SubmittedWork(AgentResult Result, AgentSubmission Submission, string? PatchArtifact, string? ThreadArtifact, TokenUsage Usage)
{
    /// <summary>The checks before and after the change, stored with the result so publishing knows whether it broke something.</summary>
    public Checks.Verification? Verification { get; init; }
}
