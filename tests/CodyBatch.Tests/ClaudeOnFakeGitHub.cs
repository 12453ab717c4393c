using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Messages;
using CodyBatch.Testing.Anthropic;

namespace CodyBatch.Tests;

/// <summary>
/// The server on the fake GitHub (<see cref="ServerOnFakeGitHub"/>) with the real Claude agent talking to the in-process
/// Messages API, one of each per test.
/// </summary>
public abstract class ClaudeOnFakeGitHub : ServerOnFakeGitHub
{
    private ClaudeClientFactory _clients = null!;

    /// <summary>The fake Messages API the agent talks to.</summary>
    protected FakeMessagesApi Claude { get; private set; } = null!;

    /// <summary>The agent's settings; null for the defaults with a one-second retry backoff.</summary>
    protected virtual ClaudeOptions? AgentOptions => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Claude = await FakeMessagesApi.StartAsync();
        _clients = RealClaude.Clients(Claude);
        Factory.Agent = RealClaude.Agent(_clients, AgentOptions);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Claude.DisposeAsync();
        _clients.Dispose();
    }
}
