using CodyBatch.Core.Agent;
using CodyBatch.Core.Repositories;

namespace CodyBatch.Core.Engine;

/// <summary>
/// The seam between the agent's part of a run and publishing: everything publishing needs, whether
/// the agent has just finished in this attempt or its result was stored by an earlier one.
/// </summary>
/// <param name="Result">The agent's result.</param>
/// <param name="Repository">The repository, pinned to the commit the patch applies to.</param>
/// <param name="Patch">The change as a git unified diff; empty when nothing changed.</param>
/// <param name="Workspace">The snapshot with the change applied, when publishing needs one; null otherwise.</param>
/// <param name="Incomplete">A budget ran out before the agent submitted: the run ends incomplete, a pull request is a draft.</param>
public sealed record PublishInput(AgentResult Result, ResolvedRepository Repository, string Patch, Workspaces.Workspace? Workspace, bool Incomplete = false)
{
    /// <summary>The checks before and after the change; a broken check makes the pull request a draft.</summary>
    public Checks.Verification? Verification { get; init; }
}
