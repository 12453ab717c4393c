using CodyBatch.Core.Agent;
using CodyBatch.Core.Runs;

namespace CodyBatch.Placeholders;

/// <summary>Stands in until the Claude agent adapter is wired: every run fails with a sentence that says so.</summary>
internal sealed class UnconfiguredCodeAgent : ICodeAgent
{
    public Task<AgentOutcome> RunAsync(AgentRequest request, CancellationToken cancellationToken) =>
        throw new RunFailedException("No code agent is available in this build: the Claude agent is not built yet.");
}
