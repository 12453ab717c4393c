namespace CodyBatch.Core.Agent;

/// <summary>Works on a repository snapshot in a workspace and reports what it did.</summary>
public interface ICodeAgent
{
    /// <summary>
    /// Runs the agent to its end. Records every message in <c>request.Thread</c> as it goes
    /// (so a cancelled run keeps its partial thread) and reports usage through
    /// <c>request.Usage</c>. Returns an outcome with a result, or with the reason there is none.
    /// </summary>
    Task<AgentOutcome> RunAsync(AgentRequest request, CancellationToken cancellationToken);
}
